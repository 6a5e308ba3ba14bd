# -*- coding: utf-8 -*-
"""Runs luksfit with --json and turns its documents and exit codes into module results.

Every command gets --json: luksfit prints one document on stdout ({"schema": 1, "ok": ...,
"error": {"exit_code", "kind", "message", "hint"}} on failure) and its exit code says what
happened. A key is only ever handed over on standard input (--key-file -), never in argv.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

# luksfit's exit codes (luksfit(8), EXIT STATUS).
EXIT_CODES = {
    0: 'ok',
    1: 'failed',
    2: 'permission',
    3: 'no-memory',
    4: 'wrong-device',
    5: 'busy',
    6: 'refused',
    7: 'unsupported',
    8: 'validation-failed',
}
SCHEMA = 1
# Where luksfit is installed when it is not on the module's PATH (meson install, Debian).
BIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/local/bin']


class LuksfitError(Exception):
    """A luksfit run that failed: its exit code and the error document's fields."""

    def __init__(self, argv, rc, message, hint='', kind=None, stderr=''):
        super(LuksfitError, self).__init__(message)
        self.argv = argv
        self.rc = rc
        self.message = message
        self.hint = hint or ''
        self.kind = kind or EXIT_CODES.get(rc, 'failed')
        self.stderr = stderr or ''

    def result(self):
        """The keys a failed task reports."""
        return {
            'msg': 'luksfit %s: %s' % (self.argv[2] if len(self.argv) > 2 else '', self.message),
            'hint': self.hint,
            'exit_code': self.rc,
            'kind': self.kind,
            'cmd': self.argv,
            'stderr': self.stderr,
        }


def key_argv(key_file):
    """The key options: a key file is named by its path; a passphrase goes to stdin ('-')."""
    return ['--key-file', key_file if key_file else '-']


def secret_bytes(passphrase):
    """The passphrase exactly as given (no newline added), as bytes for standard input."""
    if passphrase is None:
        return None
    if isinstance(passphrase, bytes):
        return passphrase
    return passphrase.encode('utf-8')


class Luksfit:
    """One luksfit binary on the managed host, run through AnsibleModule.run_command."""

    def __init__(self, module, binary=None):
        self.module = module
        if binary:
            if not os.access(binary, os.X_OK):
                module.fail_json(msg='luksfit_path %s is not an executable file' % binary,
                                 exit_code=1, kind='failed')
            self.binary = binary
        else:
            self.binary = module.get_bin_path('luksfit', required=True, opt_dirs=BIN_DIRS)
        self.commands = []
        self.rc = None

    def run(self, args, secret=None, ok=(0,)):
        """Runs `luksfit --json ARGS`; returns its document when the exit code (kept in `rc`)
        is in `ok`, else raises LuksfitError.

        `secret` (bytes) is written to luksfit's standard input and nowhere else."""
        argv = [self.binary, '--json'] + [str(a) for a in args]
        self.commands.append(argv)
        rc, out, err = self.module.run_command(argv, data=secret, binary_data=True,
                                               check_rc=False)
        self.rc = rc
        doc = parse_document(out)
        if rc in ok and doc is not None and (rc != 0 or doc.get('ok') is not False):
            return doc
        raise error_from(argv, rc, doc, err)


def parse_document(out):
    """The last JSON object on stdout (luksfit prints exactly one), or None."""
    text = (out or '').strip()
    if not text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, dict) or doc.get('schema') != SCHEMA:
        return None
    return doc


def error_from(argv, rc, doc, stderr):
    """A LuksfitError from an error document, or from the exit code when there is none."""
    err = (doc or {}).get('error') if isinstance(doc, dict) else None
    if isinstance(err, dict) and err.get('message'):
        code = err.get('exit_code', rc)
        return LuksfitError(argv, code if isinstance(code, int) else rc,
                            str(err.get('message')), str(err.get('hint') or ''),
                            err.get('kind'), stderr)
    if doc is None:
        tail = (stderr or '').strip().splitlines()
        msg = 'no JSON document on stdout (exit %d)%s' % (rc, ': ' + tail[-1] if tail else '')
        return LuksfitError(argv, rc if rc else 1, msg, 'is this binary luksfit?',
                            stderr=stderr)
    return LuksfitError(argv, rc, 'exit %d (%s)' % (rc, EXIT_CODES.get(rc, 'unknown')),
                        stderr=stderr)


def fail(module, error, **extra):
    """Fails the task with luksfit's message, hint and exit code."""
    result = error.result()
    result.update(extra)
    module.fail_json(**result)
