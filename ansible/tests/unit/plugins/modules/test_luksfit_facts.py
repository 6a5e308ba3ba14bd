# -*- coding: utf-8 -*-
"""luksfit_facts against a fake luksfit: the commands built, facts, and failures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.luksfit.luksfit.plugins.modules import luksfit_facts
from ansible_collections.luksfit.luksfit.tests.unit.fake_luksfit import doc, error_doc, run_module

HOST = {'kernel': {'release': '6.1.0-56-cloud-amd64'}, 'cpu': {'model': 'QEMU TCG CPU'},
        'verdict': 'degraded',
        'findings': [{'severity': 'warning', 'id': 'afalg-missing', 'message': 'm',
                      'remedy': 'r'}]}
VERSION = doc('version', luksfit='0.1.0', libcryptsetup='2.6.1', kernel='6.1.0-56-cloud-amd64')
RECOMMEND = doc('recommend', basis='cached', choice={'cipher': 'aes-xts-plain64',
                                                     'key_size': 256})


def check_doc(**extra):
    return doc('check', host=HOST, verdict='degraded', **extra)


def facts_of(result):
    return result['ansible_facts']['luksfit']


def test_host_facts_and_recommendation(luksfit):
    luksfit.on('--version', 0, VERSION).on('check', 0, check_doc()).on('recommend', 0, RECOMMEND)
    failed, r = run_module(luksfit_facts.main, {})
    f = facts_of(r)
    assert not failed and not r['changed']
    assert f['verdict'] == 'degraded' and f['findings'][0]['id'] == 'afalg-missing'
    assert f['recommendation']['choice']['cipher'] == 'aes-xts-plain64'
    assert 'schema' not in f['recommendation']
    assert f['hardware_class'] == {'kernel': '6.1.0-56-cloud-amd64', 'cpu_model': 'QEMU TCG CPU',
                                   'luksfit': '0.1.0',
                                   'key': 'QEMU TCG CPU | 6.1.0-56-cloud-amd64 | 0.1.0'}
    assert luksfit.argv_of('recommend')[0]['argv'][2:] == ['recommend', '--engine', 'auto']


def test_unsupported_host_is_a_fact_not_a_failure(luksfit):
    luksfit.on('--version', 0, VERSION).on('check', 7, dict(check_doc(), verdict='unsupported'))
    luksfit.on('recommend', 0, RECOMMEND)
    failed, r = run_module(luksfit_facts.main, {})
    assert not failed and facts_of(r)['verdict'] == 'unsupported'


def test_targets_are_audited_and_at_risk_listed(luksfit):
    volumes = [{'path': '/dev/sdb', 'readable': True, 'keyslots_at_risk': [0]},
               {'path': '/dev/sdc', 'readable': True, 'keyslots_at_risk': []},
               {'path': '/dev/sdd', 'readable': False, 'error': {'message': 'not LUKS'}}]
    luksfit.on('--version', 0, VERSION).on('check TARGET', 0, check_doc(volumes=volumes))
    failed, r = run_module(luksfit_facts.main, {'targets': ['/dev/sdb', '/dev/sdc', '/dev/sdd'],
                                                'recommend': False})
    assert not failed
    assert facts_of(r)['volumes_at_risk'] == ['/dev/sdb']
    assert luksfit.commands() == ['--version', 'check TARGET']


def test_no_readable_target_is_reported_per_target(luksfit):
    luksfit.on('--version', 0, VERSION)
    luksfit.on('check TARGET', 4, error_doc('check', 4, 'no target could be read', 'blkid'))
    luksfit.on('check', 0, check_doc())
    failed, r = run_module(luksfit_facts.main, {'targets': ['/a', '/b'], 'recommend': False})
    assert not failed
    assert [v['readable'] for v in facts_of(r)['volumes']] == [False, False]
    assert facts_of(r)['verdict'] == 'degraded'


BENCH = doc('bench', engine='dmcrypt', rounds=6, results=[])


def test_bench_and_save_into_the_cache_then_recommend_from_it(luksfit):
    luksfit.on('--version', 0, VERSION).on('check', 0, check_doc()).on('bench', 0, BENCH)
    luksfit.on('recommend', 0, RECOMMEND)
    failed, r = run_module(luksfit_facts.main, {'bench': True, 'save': True, 'time_budget': 20,
                                                'cache': '/var/cache/b.json', 'engine': 'dmcrypt',
                                                'device': '/dev/sdb'})
    assert not failed and r['changed'] and r['cache_saved']
    assert facts_of(r)['bench']['rounds'] == 6
    assert luksfit.commands() == ['--version', 'check', 'bench', 'recommend']
    assert luksfit.argv_of('bench')[0]['argv'][2:] == [
        'bench', '--engine', 'dmcrypt', '--save', '--time-budget', '20',
        '--cache', '/var/cache/b.json']
    assert luksfit.argv_of('recommend')[0]['argv'][2:] == [
        'recommend', '--engine', 'dmcrypt', '--time-budget', '20', '--cache', '/var/cache/b.json',
        '--device', '/dev/sdb']


def cache_args(fake, command):
    argv = fake.argv_of(command)[0]['argv']
    return argv[argv.index('--cache') + 1]


def test_bench_without_save_keeps_the_cache_untouched(luksfit):
    luksfit.on('--version', 0, VERSION).on('check', 0, check_doc()).on('bench', 0, BENCH)
    luksfit.on('recommend', 0, RECOMMEND)
    failed, r = run_module(luksfit_facts.main, {'bench': True, 'cache': '/var/cache/b.json'})
    assert not failed and not r['changed']
    private = cache_args(luksfit, 'bench')
    assert private != '/var/cache/b.json' and cache_args(luksfit, 'recommend') == private


def test_save_is_skipped_in_check_mode(luksfit):
    luksfit.on('--version', 0, VERSION).on('check', 0, check_doc()).on('bench', 0, BENCH)
    luksfit.on('recommend', 0, RECOMMEND)
    failed, r = run_module(luksfit_facts.main, {'bench': True, 'save': True,
                                                'cache': '/var/cache/b.json',
                                                '_ansible_check_mode': True})
    assert not failed and not r['changed']
    assert cache_args(luksfit, 'bench') != '/var/cache/b.json'


def test_save_without_bench_is_refused(luksfit):
    failed, r = run_module(luksfit_facts.main, {'save': True})
    assert failed and 'bench' in r['msg'] and luksfit.calls == []


def test_bench_that_cannot_measure_fails_with_7(luksfit):
    luksfit.on('--version', 0, VERSION).on('check', 0, check_doc())
    luksfit.on('bench', 7, error_doc('bench', 7, 'cannot measure here', 'use a kernel'))
    failed, r = run_module(luksfit_facts.main, {'bench': True})
    assert failed and r['exit_code'] == 7 and r['hint'] == 'use a kernel'
    assert 'recommend' not in luksfit.commands()


def test_recommend_failure_without_bench_is_reported(luksfit):
    luksfit.on('--version', 0, VERSION).on('check', 0, check_doc())
    luksfit.on('recommend', 7, error_doc('recommend', 7, 'no candidate is both safe'))
    failed, r = run_module(luksfit_facts.main, {})
    assert not failed and facts_of(r)['recommendation'] is None
    assert facts_of(r)['recommendation_error']['exit_code'] == 7
