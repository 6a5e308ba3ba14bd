# -*- coding: utf-8 -*-
"""The luksfit runner: documents parsed, errors mapped, the key only on standard input."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.luksfit.luksfit.plugins.module_utils import luksfit as lu
from ansible_collections.luksfit.luksfit.tests.unit.fake_luksfit import KINDS


def test_exit_code_kinds_are_luksfits():
    assert dict((k, v) for k, v in lu.EXIT_CODES.items() if k) == KINDS


@pytest.mark.parametrize('out,expected', [
    ('', None),
    ('not json', None),
    ('[1, 2]', None),
    ('{"schema": 2, "ok": true}', None),
    ('{"schema": 1, "ok": true, "x": 1}\n', {'schema': 1, 'ok': True, 'x': 1}),
])
def test_parse_document(out, expected):
    assert lu.parse_document(out) == expected


def test_error_document_fields_win():
    e = lu.error_from(['/l', '--json', 'format'], 6, {'schema': 1, 'ok': False, 'error': {
        'exit_code': 6, 'kind': 'refused', 'message': 'holds data', 'hint': 'use --force'}}, 'x')
    assert (e.rc, e.kind, e.message, e.hint, e.stderr) == (6, 'refused', 'holds data',
                                                           'use --force', 'x')
    assert e.result()['msg'] == 'luksfit format: holds data'


def test_no_document_keeps_the_exit_code_and_stderr():
    e = lu.error_from(['/l', '--json', 'open'], 139, None, 'Segmentation fault\n')
    assert e.rc == 139 and 'Segmentation fault' in e.message


def test_key_argv_never_holds_the_key():
    assert lu.key_argv(None) == ['--key-file', '-']
    assert lu.key_argv('/root/key') == ['--key-file', '/root/key']


def test_secret_bytes_are_exact():
    assert lu.secret_bytes('pässword') == 'pässword'.encode('utf-8')
    assert lu.secret_bytes(None) is None


class Module:
    """Just enough of AnsibleModule for Luksfit.run."""

    def __init__(self, rc, out):
        self.rc, self.out, self.calls = rc, out, []

    def run_command(self, argv, **kwargs):
        self.calls.append((argv, kwargs))
        return self.rc, self.out, ''

    def get_bin_path(self, name, required=False, opt_dirs=None):
        return '/usr/sbin/' + name


def test_run_writes_the_secret_to_stdin_only():
    m = Module(0, '{"schema": 1, "ok": true}')
    lf = lu.Luksfit(m)
    document = lf.run(['open', '/dev/sdb', 'data', '--key-file', '-'], secret=b's3cret')
    argv, kwargs = m.calls[0]
    assert argv == ['/usr/sbin/luksfit', '--json', 'open', '/dev/sdb', 'data', '--key-file', '-']
    assert kwargs['data'] == b's3cret' and kwargs['binary_data'] is True
    assert lf.rc == 0 and document['ok'] and lf.commands == [argv]


def test_run_accepts_listed_exit_codes_with_a_document():
    lf = lu.Luksfit(Module(7, '{"schema": 1, "ok": true, "verdict": "unsupported"}'))
    assert lf.run(['check'], ok=(0, 7))['verdict'] == 'unsupported' and lf.rc == 7
    with pytest.raises(lu.LuksfitError) as e:
        lf.run(['check'])
    assert e.value.rc == 7 and e.value.kind == 'unsupported'


def test_ok_false_with_exit_0_is_an_error():
    lf = lu.Luksfit(Module(0, '{"schema": 1, "ok": false, "error": {"message": "m"}}'))
    with pytest.raises(lu.LuksfitError):
        lf.run(['check'])
