#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: luksfit_facts
short_description: Host compatibility, volume audits and the cipher recommendation from luksfit
version_added: 0.1.0
description:
  - Runs C(luksfit check) (with C(targets), C(luksfit check TARGET...), a read-only audit of
    those LUKS volumes) and C(luksfit recommend), and returns them as C(ansible_facts.luksfit).
  - The recommendation comes from luksfit's bench cache when a cached result matches the host
    (kernel, CPU model, luksfit version, at most 7 days old); with C(bench=true) luksfit
    measures now (C(luksfit bench)) and recommends from that measurement; with C(save=true)
    the measurement is stored in the cache, else in a file of the module's own.
  - Without C(bench), when no cached result matches, C(luksfit recommend) itself measures if an
    engine can measure here (AF_ALG, or root with dm-crypt), else follows its policy's
    preference order alone; C(ansible_facts.luksfit.recommendation.basis) says which.
  - Changes nothing, except the bench cache when C(bench=true) and C(save=true) (skipped in
    check mode).
author:
  - luksfit contributors (!UNKNOWN)
requirements:
  - luksfit on the managed host (on its PATH, in /usr/sbin, or given as C(luksfit_path))
attributes:
  check_mode:
    support: full
    description: Everything is read-only; a requested C(save) is skipped.
  diff_mode:
    support: none
    description: Nothing to show.
  facts:
    support: full
    description: Returns C(ansible_facts.luksfit).
options:
  targets:
    description:
      - LUKS devices or image files to audit (C(luksfit check TARGET...)) - cipher, key and
        sector size, keyslots that need AF_ALG to unlock, persistent flags, findings.
      - A target that cannot be read is reported with its error, not as a task failure.
    type: list
    elements: path
    default: []
  recommend:
    description:
      - Run C(luksfit recommend) too. With C(false) only the check runs.
    type: bool
    default: true
  bench:
    description:
      - Measure now (C(luksfit bench)) and recommend from that measurement.
      - Needs AF_ALG, or root with dm-crypt; where nothing can measure the task fails with
        exit code 7 and luksfit's message.
    type: bool
    default: false
  save:
    description:
      - With C(bench=true), store the measurements in the bench cache (C(cache)), so that
        C(luksfit format) and later C(recommend) runs use them. Reported as changed.
    type: bool
    default: false
  engine:
    description:
      - The bench engine (C(--engine)).
    type: str
    choices: [auto, afalg, dmcrypt]
    default: auto
  time_budget:
    description:
      - Seconds for a measurement (C(--time-budget)); luksfit's default when unset.
    type: float
  cache:
    description:
      - The bench cache file (C(--cache)); luksfit's default (/var/lib/luksfit/bench.json)
        when unset.
    type: path
  device:
    description:
      - The block device that will be formatted (C(recommend --device)); its logical sector
        size and whether it is rotational steer the sector size and performance flags.
    type: path
  luksfit_path:
    description:
      - The luksfit binary. Default, C(luksfit) on the PATH or in /usr/sbin.
    type: path
notes:
  - A host whose verdict is C(unsupported) (C(luksfit check) exit 7) is reported, not failed;
    the verdict is a fact.
seealso:
  - module: luksfit.luksfit.luksfit_volume
'''

EXAMPLES = r'''
- name: Host report and recommendation from the cache
  luksfit.luksfit.luksfit_facts:

- name: Audit the data volumes too
  luksfit.luksfit.luksfit_facts:
    targets:
      - /dev/sdb
      - /dev/sdc

- name: Measure now and keep the result for format
  luksfit.luksfit.luksfit_facts:
    bench: true
    save: true
    time_budget: 20

- name: Volumes that still need AF_ALG to unlock
  ansible.builtin.debug:
    var: ansible_facts.luksfit.volumes_at_risk
'''

RETURN = r'''
ansible_facts:
  description: Facts about luksfit on this host.
  returned: always
  type: complex
  contains:
    luksfit:
      description: Everything below is luksfit's own JSON, as documented in luksfit(8).
      returned: always
      type: complex
      contains:
        version:
          description: The luksfit, libcryptsetup and kernel versions (C(luksfit --version)).
          type: dict
          returned: always
        verdict:
          description: ready, degraded or unsupported.
          type: str
          returned: always
          sample: degraded
        findings:
          description: The host's findings, each with C(id), C(severity), C(message), C(remedy).
          type: list
          elements: dict
          returned: always
        host:
          description: The whole host report of C(luksfit check --json).
          type: dict
          returned: always
        hardware_class:
          description:
            - What a bench result is valid for; hosts with the same class can share one
              cache file.
          type: dict
          returned: always
          contains:
            kernel:
              description: Kernel release.
              type: str
            cpu_model:
              description: CPU model name.
              type: str
            luksfit:
              description: luksfit version.
              type: str
            key:
              description: The three joined, for grouping.
              type: str
        recommendation:
          description:
            - C(luksfit recommend --json) (choice, reasons, sector size, perf flags, PBKDF,
              C(luks_format) line, crypttab options), or null when it failed or was not asked.
          type: dict
          returned: always
        bench:
          description: C(luksfit bench --json) (engine, rounds, results per cipher).
          type: dict
          returned: with bench
        recommendation_error:
          description: C(exit_code), C(kind), C(message), C(hint) when recommend failed.
          type: dict
          returned: when recommend failed
        volumes:
          description: One audit per target (C(readable), C(cipher), C(key_bits),
            C(sector_size), C(keyslots_at_risk), C(findings), ...), or its error.
          type: list
          elements: dict
          returned: always
        volumes_at_risk:
          description: Targets with keyslots that cannot be unlocked without AF_ALG.
          type: list
          elements: str
          returned: always
cache_saved:
  description: Whether the bench cache was written (C(bench) and C(save), not in check mode).
  type: bool
  returned: always
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.luksfit.luksfit.plugins.module_utils.luksfit import (
    Luksfit, LuksfitError, fail)


def bench_args(params, cache):
    """`luksfit bench --save` into CACHE: exit 7 when nothing can measure here."""
    args = ['bench', '--engine', params['engine'], '--save']
    if params['time_budget'] is not None:
        args += ['--time-budget', '%g' % params['time_budget']]
    return args + (['--cache', cache] if cache else [])


def recommend_args(params, cache):
    """`luksfit recommend`, from CACHE (luksfit's default when None)."""
    args = ['recommend', '--engine', params['engine']]
    if params['time_budget'] is not None:
        args += ['--time-budget', '%g' % params['time_budget']]
    if cache:
        args += ['--cache', cache]
    if params['device']:
        args += ['--device', params['device']]
    return args


def payload(document):
    return dict((k, v) for k, v in document.items() if k not in ('schema', 'command', 'ok'))


def recommend(module, lf, facts):
    """Fills facts' recommendation; with bench, measures first (into the cache when saved, else
    into a file of the module's own). Returns whether the cache was written."""
    p = module.params
    cache = p['cache']
    saved = False
    if p['bench']:
        if not p['save'] or module.check_mode:
            cache = os.path.join(module.tmpdir, 'bench.json')
        facts['bench'] = payload(lf.run(bench_args(p, cache)))
        saved = p['save'] and not module.check_mode
    try:
        facts['recommendation'] = payload(lf.run(recommend_args(p, cache)))
    except LuksfitError as e:
        if p['bench']:
            raise
        facts['recommendation_error'] = {'exit_code': e.rc, 'kind': e.kind,
                                         'message': e.message, 'hint': e.hint}
    return saved


def check(lf, targets):
    """`luksfit check [TARGET...]`: exit 7 is an unsupported host (a fact), 4 no readable target."""
    return lf.run(['check'] + list(targets), ok=(0, 7))


def audit_targets(lf, targets):
    """Volumes of `check TARGET...`; when none is readable luksfit exits 4 without them."""
    if not targets:
        return [], None
    try:
        doc = check(lf, targets)
        return doc.get('volumes') or [], doc
    except LuksfitError as e:
        if e.rc != 4:
            raise
        return [{'path': t, 'readable': False, 'error': {'message': e.message, 'hint': e.hint}}
                for t in targets], None


def hardware_class(host, version):
    kernel = (host.get('kernel') or {}).get('release') or ''
    cpu = (host.get('cpu') or {}).get('model') or ''
    lv = version.get('luksfit') or ''
    return {'kernel': kernel, 'cpu_model': cpu, 'luksfit': lv,
            'key': '%s | %s | %s' % (cpu, kernel, lv)}


def gather(module, lf):
    p = module.params
    version = payload(lf.run(['--version']))
    volumes, doc = audit_targets(lf, p['targets'])
    if doc is None:
        doc = check(lf, [])
    host = doc.get('host') or {}
    facts = {
        'version': version,
        'verdict': doc.get('verdict'),
        'findings': host.get('findings') or [],
        'host': host,
        'hardware_class': hardware_class(host, version),
        'recommendation': None,
        'volumes': volumes,
        'volumes_at_risk': [v.get('path') for v in volumes
                            if v.get('readable') and v.get('keyslots_at_risk')],
    }
    saved = recommend(module, lf, facts) if p['recommend'] else False
    return facts, saved


def main():
    module = AnsibleModule(
        argument_spec=dict(
            targets=dict(type='list', elements='path', default=[]),
            recommend=dict(type='bool', default=True),
            bench=dict(type='bool', default=False),
            save=dict(type='bool', default=False),
            engine=dict(type='str', default='auto', choices=['auto', 'afalg', 'dmcrypt']),
            time_budget=dict(type='float'),
            cache=dict(type='path'),
            device=dict(type='path'),
            luksfit_path=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    if module.params['save'] and not module.params['bench']:
        module.fail_json(msg='save stores fresh measurements: it needs bench=true', exit_code=1,
                         kind='failed')
    lf = Luksfit(module, module.params['luksfit_path'])
    try:
        facts, saved = gather(module, lf)
    except LuksfitError as e:
        fail(module, e)
    module.exit_json(changed=saved, cache_saved=saved, ansible_facts={'luksfit': facts})


if __name__ == '__main__':
    main()
