# -*- coding: utf-8 -*-
"""luksfit_volume against a fake luksfit: arguments, the commands built, the key's path,
idempotency, drift, and luksfit's exit codes turned into task results."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.luksfit.luksfit.plugins.modules import luksfit_volume
from ansible_collections.luksfit.luksfit.tests.unit.fake_luksfit import doc, error_doc, run_module

SECRET = 'correct horse battery staple'
UUID = '511c781f-fa7e-4bf2-aa74-2a32d7faa247'
PLAN = {'cipher': 'aes-xts-plain64', 'key_size': 512, 'sector_size': 4096,
        'keyslot_cipher': 'aes-xts-plain64', 'keyslot_key_size': 512, 'keyslot_fallback': False,
        'pbkdf': {'type': 'pbkdf2', 'hash': 'sha256', 'iterations': 1000}, 'perf_flags': [],
        'perf_flags_reason': 'none: the dm-crypt target version is unknown here'}
SOURCE = {'kind': 'policy_default', 'detail': 'policy default', 'notes': []}
VOLUME = {'path': 'disk.img', 'readable': True, 'version': 2, 'cipher': 'aes-xts-plain64',
          'key_bits': 512, 'sector_size': 4096, 'uuid': UUID, 'label': '',
          'persistent_flags': [], 'keyslots_at_risk': [], 'findings': [],
          'keyslots': [{'slot': 0, 'pbkdf': 'pbkdf2', 'encryption': 'aes-xts-plain64',
                        'key_bits': 512}]}
NOT_LUKS = error_doc('check', 4, 'no target could be read: disk.img: not a LUKS volume')


@pytest.fixture
def device(tmp_path):
    path = tmp_path / 'disk.img'
    path.write_bytes(b'\0' * 4096)
    return str(path)


def volume(**changes):
    v = copy.deepcopy(VOLUME)
    v.update(changes)
    return doc('check', host={}, verdict='unsupported', volumes=[v])


def plan_doc(**changes):
    p = dict(PLAN)
    p.update(changes)
    return doc('format', dry_run=True, found=[], parameters=p, parameters_source=SOURCE)


def formatted():
    return doc('format', uuid=UUID, parameters=PLAN, parameters_source=SOURCE,
               keyslots=[{'slot': 0}], validation={'data_path_tested': False})


def assert_no_secret_in_argv(fake):
    for call in fake.calls:
        assert not any(SECRET in a for a in call['argv']), call['argv']


def test_blank_device_is_formatted_with_the_key_on_stdin(luksfit, device):
    luksfit.on('check TARGET', 4, NOT_LUKS).on('check TARGET', 0, volume())
    luksfit.on('format', 0, formatted())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'passphrase': SECRET})
    assert not failed and r['changed'] and r['formatted']
    assert r['uuid'] == UUID
    call = luksfit.argv_of('format')[0]
    assert call['argv'][:4] == ['/usr/sbin/luksfit', '--json', 'format', device]
    assert call['argv'][-3:] == ['--key-file', '-', '--yes']
    assert call['data'] == SECRET.encode() and call['binary_data']
    assert_no_secret_in_argv(luksfit)


def test_key_file_is_named_and_nothing_goes_to_stdin(luksfit, device):
    luksfit.on('check TARGET', 4, NOT_LUKS).on('check TARGET', 0, volume())
    luksfit.on('format', 0, formatted())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'key_file': '/root/k'})
    assert not failed
    call = luksfit.argv_of('format')[0]
    assert call['argv'][-3:] == ['--key-file', '/root/k', '--yes'] and call['data'] is None


def test_parameters_become_format_options(luksfit, device):
    luksfit.on('check TARGET', 4, NOT_LUKS).on('check TARGET', 0, volume())
    luksfit.on('format', 0, formatted())
    run_module(luksfit_volume.main, {
        'device': device, 'passphrase': SECRET, 'cipher': 'serpent-xts-plain64', 'key_size': 256,
        'sector_size': 512, 'label': 'data', 'force': True, 'perf_flags': False,
        'pbkdf': {'algorithm': 'pbkdf2', 'iteration_count': 1000}, 'validation_dir': '/var/tmp'})
    argv = luksfit.argv_of('format')[0]['argv']
    assert argv[4:] == ['--cipher', 'serpent-xts-plain64', '--key-size', '256',
                        '--sector-size', '512', '--label', 'data', '--pbkdf', 'pbkdf2',
                        '--pbkdf-force-iterations', '1000', '--no-perf-flags', '--force',
                        '--dir', '/var/tmp', '--key-file', '-', '--yes']


def test_iteration_time_in_seconds_becomes_ms(luksfit, device):
    luksfit.on('check TARGET', 4, NOT_LUKS).on('format --dry-run', 0, plan_doc())
    run_module(luksfit_volume.main, {'device': device, '_ansible_check_mode': True,
                                     'pbkdf': {'iteration_time': 1.5, 'memory': 65536}})
    argv = luksfit.argv_of('format --dry-run')[0]['argv']
    assert argv[4:8] == ['--iter-time', '1500', '--pbkdf-memory', '65536']


def test_check_mode_runs_the_dry_run_only(luksfit, device):
    luksfit.on('check TARGET', 4, NOT_LUKS).on('format --dry-run', 0, plan_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'passphrase': SECRET,
                                                 '_ansible_check_mode': True,
                                                 '_ansible_diff': True})
    assert not failed and r['changed'] and r['formatted']
    assert luksfit.commands() == ['check TARGET', 'format --dry-run']
    call = luksfit.argv_of('format --dry-run')[0]
    assert '--yes' not in call['argv'] and '--key-file' not in call['argv']
    assert call['data'] is None
    assert 'cipher: aes-xts-plain64' in r['diff'][0]['after']


def test_same_volume_again_is_no_change(luksfit, device):
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'passphrase': SECRET})
    assert not failed and not r['changed'] and not r['formatted'] and r['drift'] == []
    dry = luksfit.argv_of('format --dry-run')[0]['argv']
    assert '--force' in dry and '--yes' not in dry
    assert 'format' not in luksfit.commands()


def test_other_cipher_is_drift_never_a_format(luksfit, device):
    luksfit.on('check TARGET', 0, volume(cipher='serpent-xts-plain64'))
    luksfit.on('format --dry-run', 0, plan_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'passphrase': SECRET,
                                                 'force': True})
    assert not failed and not r['changed']
    assert r['drift'] == [{'parameter': 'cipher', 'current': 'serpent-xts-plain64',
                           'wanted': 'aes-xts-plain64', 'source': 'recommended'}]
    assert any('never reformatted' in w for w in r['warnings'])
    assert 'format' not in luksfit.commands()


def test_asked_key_size_differs(luksfit, device):
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc(key_size=256))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'key_size': 256})
    assert not failed
    assert r['drift'] == [{'parameter': 'key_size', 'current': 512, 'wanted': 256,
                           'source': 'asked'}]


def test_luks1_and_missing_flags_are_drift(luksfit, device):
    luksfit.on('check TARGET', 0, volume(version=1))
    luksfit.on('format --dry-run', 0, plan_doc(perf_flags=['no_read_workqueue']))
    failed, r = run_module(luksfit_volume.main, {'device': device})
    assert not failed and [d['parameter'] for d in r['drift']] == ['version', 'persistent_flags']


def test_in_use_volume_is_compared_with_the_asked_parameters(luksfit, device):
    luksfit.on('check TARGET', 0, volume())
    luksfit.on('format --dry-run', 6, error_doc('format', 6, 'disk.img is in use'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'sector_size': 512})
    assert not failed and not r['changed']
    assert r['drift'][0]['parameter'] == 'sector_size'
    assert any('in use' in w for w in r['warnings'])


@pytest.mark.parametrize('rc,kind', [(2, 'permission'), (6, 'refused'), (7, 'unsupported'),
                                     (8, 'validation-failed'), (3, 'no-memory')])
def test_luksfit_exit_codes_fail_the_task(luksfit, device, rc, kind):
    luksfit.on('check TARGET', 4, NOT_LUKS)
    luksfit.on('format', rc, error_doc('format', rc, 'it went wrong', 'do this'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'passphrase': SECRET})
    assert failed
    assert r['exit_code'] == rc and r['kind'] == kind and r['hint'] == 'do this'
    assert r['msg'] == 'luksfit format: it went wrong'
    assert not r['changed'] and SECRET not in repr(r)


def test_refusal_in_check_mode_fails_too(luksfit, device):
    luksfit.on('check TARGET', 4, NOT_LUKS)
    luksfit.on('format --dry-run', 6, error_doc('format', 6, 'disk.img holds data: ext4'))
    failed, r = run_module(luksfit_volume.main, {'device': device, '_ansible_check_mode': True})
    assert failed and r['exit_code'] == 6 and 'ext4' in r['msg']


def test_output_that_is_not_luksfit_json_fails(luksfit, device):
    luksfit.on('check TARGET', 0, {'something': 'else'})
    failed, r = run_module(luksfit_volume.main, {'device': device})
    assert failed and 'no JSON document' in r['msg']


def test_missing_device_fails_with_4(luksfit, tmp_path):
    failed, r = run_module(luksfit_volume.main, {'device': str(tmp_path / 'nope')})
    assert failed and r['exit_code'] == 4 and luksfit.calls == []


def test_format_without_a_key_fails_before_writing(luksfit, device):
    luksfit.on('check TARGET', 4, NOT_LUKS)
    failed, r = run_module(luksfit_volume.main, {'device': device})
    assert failed and 'a key is needed to format' in r['msg']
    assert luksfit.commands() == ['check TARGET']


@pytest.mark.parametrize('args,message', [
    ({'key_file': '/k', 'passphrase': SECRET}, 'mutually exclusive'),
    ({'state': 'opened'}, 'name'),
    ({'state': 'closed'}, 'name'),
    ({'crypttab': True}, 'name'),
    ({'state': 'absent'}, 'one of'),
    ({'passphrase': ''}, 'empty'),
    ({'pbkdf': {'iteration_time': 1, 'iteration_count': 5}}, 'mutually exclusive'),
])
def test_argument_errors(luksfit, device, args, message):
    a = {'device': device}
    a.update(args)
    failed, r = run_module(luksfit_volume.main, a)
    assert failed and message in r['msg'] and luksfit.calls == []
    assert SECRET not in repr(r)
