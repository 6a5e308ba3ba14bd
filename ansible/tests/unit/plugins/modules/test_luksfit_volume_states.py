# -*- coding: utf-8 -*-
"""luksfit_volume's states beyond present (hardened, opened, closed) and crypttab, against a
fake luksfit and a fake sysfs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.luksfit.luksfit.plugins.module_utils import volume as volume_utils
from ansible_collections.luksfit.luksfit.plugins.modules import luksfit_volume
from ansible_collections.luksfit.luksfit.tests.unit.fake_luksfit import doc, error_doc, run_module
from ansible_collections.luksfit.luksfit.tests.unit.plugins.modules.test_luksfit_volume import (
    SECRET, UUID, assert_no_secret_in_argv, plan_doc, volume)

CRYPTTAB_LINE = 'data UUID=%s none luks' % UUID


@pytest.fixture
def device(tmp_path):
    path = tmp_path / 'disk.img'
    path.write_bytes(b'\0' * 4096)
    return str(path)


@pytest.fixture
def sysfs(tmp_path, monkeypatch):
    """An empty /sys/class/block; map(name, dm_uuid) adds an active mapping."""
    root = tmp_path / 'sys-class-block'
    root.mkdir()
    monkeypatch.setattr(volume_utils, 'SYS_BLOCK', str(root))

    def add(name, dm_uuid, index=0):
        d = root / ('dm-%d' % index) / 'dm'
        d.mkdir(parents=True)
        (d / 'name').write_text(name + '\n')
        (d / 'uuid').write_text(dm_uuid + '\n')
    return add


def harden_doc(state, stored=False):
    return doc('harden', harden={'path': 'disk.img', 'key_slot': 1, 'steps': ['rewrote'],
                                 'keyslots': [{'slot': 1, 'state': state}],
                                 'perf_flags_stored': stored, 'error': None})


def test_hardened_rewrites_an_at_risk_keyslot_with_the_key_on_stdin(luksfit, device):
    luksfit.on('check TARGET', 0, volume(keyslots_at_risk=[1]))
    luksfit.on('check TARGET', 0, volume())
    luksfit.on('format --dry-run', 0, plan_doc()).on('harden', 0, harden_doc('rewritten'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'hardened',
                                                 'passphrase': SECRET})
    assert not failed and r['changed'] and r['keyslots_at_risk'] == []
    call = luksfit.argv_of('harden')[0]
    assert call['argv'][2:] == ['harden', device, '--key-file', '-']
    assert call['data'] == SECRET.encode()
    assert_no_secret_in_argv(luksfit)


def test_hardened_when_the_key_opens_a_safe_slot_is_no_change(luksfit, device):
    luksfit.on('check TARGET', 0, volume(keyslots_at_risk=[1]))
    luksfit.on('format --dry-run', 0, plan_doc()).on('harden', 0, harden_doc('safe'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'hardened',
                                                 'key_file': '/root/k'})
    assert not failed and not r['changed']
    assert any('keyslots 1 still need AF_ALG' in w for w in r['warnings'])


def test_hardened_volume_without_risk_runs_no_harden(luksfit, device):
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'hardened'})
    assert not failed and not r['changed'] and 'harden' not in luksfit.commands()


def test_hardened_stores_missing_perf_flags_without_a_key(luksfit, device):
    luksfit.on('check TARGET', 0, volume())
    luksfit.on('format --dry-run', 0, plan_doc(perf_flags=['no_read_workqueue']))
    luksfit.on('harden', 0, harden_doc('safe', stored=True))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'hardened'})
    assert not failed and r['changed'] and r['drift'] == []
    argv = luksfit.argv_of('harden')[0]['argv']
    assert argv[2:] == ['harden', device, '--persist-perf-flags']


def test_hardened_in_check_mode_writes_nothing(luksfit, device):
    luksfit.on('check TARGET', 0, volume(keyslots_at_risk=[0]))
    luksfit.on('format --dry-run', 0, plan_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'hardened',
                                                 '_ansible_check_mode': True})
    assert not failed and r['changed'] and 'harden' not in luksfit.commands()


def test_wrong_key_fails_with_2(luksfit, device):
    luksfit.on('check TARGET', 0, volume(keyslots_at_risk=[0]))
    luksfit.on('format --dry-run', 0, plan_doc())
    luksfit.on('harden', 2, error_doc('harden', 2, 'no keyslot opens with this key'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'hardened',
                                                 'passphrase': SECRET})
    assert failed and r['exit_code'] == 2 and r['kind'] == 'permission'


def test_opened_opens_when_no_mapping_is_active(luksfit, device, sysfs):
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    luksfit.on('open', 0, doc('open', name='data'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'opened',
                                                 'name': 'data', 'passphrase': SECRET,
                                                 'perf_flags': False})
    assert not failed and r['changed']
    call = luksfit.argv_of('open')[0]
    assert call['argv'][2:] == ['open', device, 'data', '--key-file', '-', '--no-perf-flags']
    assert call['data'] == SECRET.encode()


def test_opened_when_already_active_is_no_change(luksfit, device, sysfs):
    sysfs('other', 'CRYPT-LUKS2-00000000000000000000000000000000-other', 0)
    sysfs('data', volume_utils.dm_uuid_for(UUID, 'data'), 1)
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'opened',
                                                 'name': 'data'})
    assert not failed and not r['changed'] and 'open' not in luksfit.commands()


def test_name_active_for_another_volume_fails_with_5(luksfit, device, sysfs):
    sysfs('data', 'CRYPT-LUKS2-00000000000000000000000000000000-data')
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'closed',
                                                 'name': 'data'})
    assert failed and r['exit_code'] == 5 and 'close' not in luksfit.commands()


def test_closed_closes_an_active_mapping(luksfit, device, sysfs):
    sysfs('data', volume_utils.dm_uuid_for(UUID, 'data'))
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    luksfit.on('close', 0, doc('close', name='data'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'closed',
                                                 'name': 'data'})
    assert not failed and r['changed']
    assert luksfit.argv_of('close')[0]['argv'][2:] == ['close', 'data']


def test_open_without_dm_crypt_fails_with_7(luksfit, device, sysfs):
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    luksfit.on('open', 7, error_doc('open', 7, 'cannot open: this kernel has no dm-crypt'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'opened',
                                                 'name': 'data', 'key_file': '/k'})
    assert failed and r['exit_code'] == 7 and 'dm-crypt' in r['msg']


def crypttab_doc(conflict=None):
    return doc('crypttab', line=CRYPTTAB_LINE, uuid=UUID, conflict=conflict, backup=None)


def test_crypttab_line_is_written_once(luksfit, device, tmp_path):
    tab = tmp_path / 'crypttab'
    tab.write_text('# <target> <source> <keyfile> <options>\n')
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    luksfit.on('crypttab', 0, crypttab_doc()).on('crypttab --write', 0, crypttab_doc())
    args = {'device': device, 'name': 'data', 'crypttab': True, 'crypttab_path': str(tab),
            'initrd': True, 'crypttab_key_file': '/etc/keys/data.key', '_ansible_diff': True}
    failed, r = run_module(luksfit_volume.main, args)
    assert not failed and r['changed'] and r['crypttab_line'] == CRYPTTAB_LINE
    argv = luksfit.argv_of('crypttab --write')[0]['argv']
    assert argv[2:] == ['crypttab', device, 'data', '--crypttab', str(tab), '--initrd',
                        '--key-file', '/etc/keys/data.key', '--write']
    assert r['diff'][0]['after'].endswith(CRYPTTAB_LINE + '\n')

    tab.write_text('# <target> <source> <keyfile> <options>\n%s\n' % CRYPTTAB_LINE)
    luksfit.calls = []
    luksfit.script['crypttab'] = [(0, crypttab_doc({'line': 2, 'message': "line 2 maps"}))]
    failed, r = run_module(luksfit_volume.main, args)
    assert not failed and not r['changed'] and 'crypttab --write' not in luksfit.commands()


def test_crypttab_line_with_other_options_is_drift(luksfit, device, tmp_path):
    tab = tmp_path / 'crypttab'
    tab.write_text('data UUID=%s none luks,discard\n' % UUID)
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    luksfit.on('crypttab', 0, crypttab_doc({'line': 1, 'message': "line 1 already maps"}))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'name': 'data',
                                                 'crypttab': True, 'crypttab_path': str(tab)})
    assert not failed and not r['changed'] and r['drift'][0]['parameter'] == 'crypttab'


def test_crypttab_name_taken_by_another_volume_fails_with_5(luksfit, device, tmp_path):
    tab = tmp_path / 'crypttab'
    tab.write_text('data UUID=0000 none luks\n')
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    luksfit.on('crypttab', 0, crypttab_doc({'line': 1, 'message': "line 1 already maps"}))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'name': 'data',
                                                 'crypttab': True, 'crypttab_path': str(tab)})
    assert failed and r['exit_code'] == 5 and 'already maps' in r['msg']


def test_crypttab_in_check_mode_is_not_written(luksfit, device, tmp_path):
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    luksfit.on('crypttab', 0, crypttab_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'name': 'data',
                                                 'crypttab': True, '_ansible_check_mode': True,
                                                 'crypttab_path': str(tmp_path / 'ct')})
    assert not failed and r['changed'] and 'crypttab --write' not in luksfit.commands()


def test_failed_open_reports_no_change(luksfit, device, sysfs):
    luksfit.on('check TARGET', 0, volume()).on('format --dry-run', 0, plan_doc())
    luksfit.on('open', 7, error_doc('open', 7, 'no device-mapper'))
    failed, r = run_module(luksfit_volume.main, {'device': device, 'state': 'opened',
                                                 'name': 'data', 'key_file': '/k'})
    assert failed and not r['changed']


def test_crypttab_diff_before_a_format_in_check_mode_shows_the_file(luksfit, device, tmp_path):
    tab = tmp_path / 'crypttab'
    tab.write_text('# <target> <source> <keyfile> <options>\n')
    luksfit.on('check TARGET', 4, error_doc('check', 4, 'not a LUKS volume'))
    luksfit.on('format --dry-run', 0, plan_doc())
    failed, r = run_module(luksfit_volume.main, {'device': device, 'name': 'data',
                                                 'crypttab': True, 'crypttab_path': str(tab),
                                                 '_ansible_check_mode': True,
                                                 '_ansible_diff': True})
    assert not failed and r['changed']
    assert r['diff'][1]['before'] == tab.read_text()
    assert r['diff'][1]['after'].startswith(tab.read_text() + 'data UUID=')
