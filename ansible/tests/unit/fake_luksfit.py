# -*- coding: utf-8 -*-
"""Helpers for the module unit tests: module arguments, a fake luksfit behind run_command.

Imported by its collection path only (tests and conftest alike), so that one ExitJson class
is raised and caught."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

FAKE_BIN = '/usr/sbin/luksfit'
# luksfit's error kinds by exit code (src/util/error.cpp), as its JSON error documents name them.
KINDS = {1: 'failed', 2: 'permission', 3: 'no-memory', 4: 'wrong-device', 5: 'busy',
         6: 'refused', 7: 'unsupported', 8: 'validation-failed'}


class ExitJson(Exception):
    """exit_json was called; args[0] is the result."""


class FailJson(Exception):
    """fail_json was called; args[0] is the result."""


@contextlib.contextmanager
def module_args(args):
    """The module's arguments, as ansible-core of this version reads them."""
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19+
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved


def doc(command, **payload):
    """A luksfit JSON document: {"schema": 1, "command": ..., "ok": true, ...}."""
    out = {'schema': 1, 'command': command, 'ok': True}
    out.update(payload)
    return out


def error_doc(command, rc, message, hint=''):
    return {'schema': 1, 'command': command, 'ok': False,
            'error': {'exit_code': rc, 'kind': KINDS[rc], 'message': message,
                      'hint': hint}}


class FakeLuksfit:
    """Stands in for AnsibleModule.run_command: answers each luksfit command from a script and
    records every argv and what was written to standard input."""

    def __init__(self):
        self.script = {}
        self.calls = []
        self.warnings = []

    @staticmethod
    def key(argv):
        cmd = argv[2] if len(argv) > 2 else ''
        if cmd == 'format' and '--dry-run' in argv:
            return 'format --dry-run'
        if cmd == 'check' and len(argv) > 3:
            return 'check TARGET'
        if cmd == 'harden' and '--persist-perf-flags' in argv:
            return 'harden'
        if cmd == 'crypttab' and '--write' in argv:
            return 'crypttab --write'
        return cmd

    def on(self, command, rc=0, document=None):
        """Queue an answer for a command key; the last answer of a key repeats."""
        self.script.setdefault(command, []).append((rc, document))
        return self

    def __call__(self, argv, data=None, binary_data=False, check_rc=False, **kwargs):
        self.calls.append({'argv': list(argv), 'data': data, 'binary_data': binary_data})
        answers = self.script.get(self.key(argv))
        if not answers:
            raise AssertionError('unexpected luksfit command: %s' % argv)
        rc, document = answers.pop(0) if len(answers) > 1 else answers[0]
        return rc, json.dumps(document) if document is not None else '', ''

    def commands(self):
        return [self.key(c['argv']) for c in self.calls]

    def argv_of(self, command):
        return [c for c in self.calls if self.key(c['argv']) == command]


def install(monkeypatch):
    """A FakeLuksfit patched into AnsibleModule; exit_json and fail_json raise."""
    fake = FakeLuksfit()

    def exit_json(self, **kwargs):
        kwargs['warnings'] = list(fake.warnings)
        raise ExitJson(kwargs)

    def fail_json(self, **kwargs):
        kwargs['failed'] = True
        raise FailJson(kwargs)

    monkeypatch.setattr(basic.AnsibleModule, 'run_command',
                        lambda self, argv, **kw: fake(argv, **kw))
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path',
                        lambda self, name, required=False, opt_dirs=None: FAKE_BIN)
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, w: fake.warnings.append(w))
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    return fake


def run_module(main, args):
    """Runs a module's main() with ARGS; returns (failed, result)."""
    with module_args(args):
        try:
            main()
        except ExitJson as e:
            return False, e.args[0]
        except FailJson as e:
            return True, e.args[0]
    raise AssertionError('the module returned without exit_json or fail_json')
