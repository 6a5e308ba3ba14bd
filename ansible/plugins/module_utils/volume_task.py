# -*- coding: utf-8 -*-
"""The steps of luksfit_volume: present (format or compare), hardened, opened/closed, crypttab.

Each step runs luksfit commands through a Luksfit runner and records what changed; in check
mode only read-only commands and `format --dry-run` run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.luksfit.luksfit.plugins.module_utils.luksfit import LuksfitError
from ansible_collections.luksfit.luksfit.plugins.module_utils.volume import (
    active_mapping, crypttab_args, crypttab_entry, dm_uuid_for, drift, drift_warning,
    format_args, harden_args, open_args, plan_args, plan_text, read_volume, same_volume)


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except (IOError, OSError):
        return ''


def appended(text, line):
    """TEXT with LINE added as its last line, as luksfit crypttab --write adds it."""
    return text + ('' if not text or text.endswith('\n') else '\n') + line + '\n'


class VolumeTask:
    """One luksfit_volume task: module parameters in, a result dict out."""

    def __init__(self, module, lf, secret):
        self.module = module
        self.p = module.params
        self.lf = lf
        self.secret = secret
        self.check_mode = module.check_mode
        self.changed = False
        self.warnings = []
        self.diffs = []
        self.volume = None
        self.plan = {}
        self.result = {'device': self.p['device'], 'state': self.p['state'],
                       'name': self.p.get('name'), 'formatted': False, 'drift': [],
                       'keyslots_at_risk': []}

    def error(self, command, code, message, hint=''):
        return LuksfitError([self.lf.binary, '--json', command], code, message, hint)

    def partial(self):
        """What a failed task still reports: what ran and what changed before the failure."""
        return {'changed': self.changed, 'formatted': self.result['formatted'],
                'drift': self.result['drift'], 'commands': self.lf.commands}

    def key(self, command):
        """The secret for a command that needs the key; fails when no key was given."""
        if self.secret is None and not self.p.get('key_file'):
            raise self.error(command, 1, 'a key is needed to %s %s' % (command, self.p['device']),
                             'give key_file or passphrase')
        return self.secret

    def run(self):
        device = self.p['device']
        if not os.path.exists(device):
            raise self.error('check', 4, '%s does not exist' % device,
                             'check the device path')
        self.volume = read_volume(self.lf, device)
        if self.volume is None:
            self.format()
        else:
            self.compare()
        if self.p['state'] == 'hardened':
            self.harden()
        if self.p['state'] in ('opened', 'closed'):
            self.mapping()
        if self.p.get('crypttab'):
            self.crypttab()
        return self.finish()

    def finish(self):
        r = self.result
        r['changed'] = self.changed
        r['commands'] = self.lf.commands
        if self.volume is not None:
            r['uuid'] = self.volume.get('uuid')
            r['volume'] = self.volume
            r['keyslots_at_risk'] = self.volume.get('keyslots_at_risk') or []
        if self.module._diff and self.diffs:
            r['diff'] = self.diffs
        return r

    def format(self):
        if self.check_mode:
            doc = self.lf.run(format_args(self.p, dry_run=True))
            found = ', '.join(s.get('type', '') for s in doc.get('found') or [])
        else:
            doc = self.lf.run(format_args(self.p, dry_run=False), secret=self.key('format'))
            self.result['validation'] = doc.get('validation')
            found = ''
        self.changed = True
        self.plan = doc.get('parameters') or {}
        self.result.update(formatted=True, plan=self.plan,
                           parameters_source=doc.get('parameters_source'))
        self.diffs.append({'before_header': '%s (before)' % self.p['device'],
                           'after_header': '%s (LUKS2)' % self.p['device'],
                           'before': 'no LUKS volume%s\n' % (' (found: %s)' % found if found
                                                             else ''),
                           'after': plan_text(self.plan)})
        if not self.check_mode:
            self.volume = read_volume(self.lf, self.p['device'])

    def compare(self):
        """An existing volume: never reformatted; differences are drift, with a warning."""
        try:
            doc = self.lf.run(plan_args(self.p))
            self.plan = doc.get('parameters') or {}
        except LuksfitError as e:
            if e.rc != 6:
                raise
            self.warnings.append('%s: compared with the asked parameters only; luksfit\'s own '
                                 'choice is unknown (%s)' % (self.p['device'], e.message))
        items = drift(self.volume, self.plan, self.p)
        self.result['drift'] = items
        if items:
            self.warnings.append(drift_warning(self.p['device'], items))

    def missing_flags(self):
        return any(d['parameter'] == 'persistent_flags' for d in self.result['drift'])

    def harden(self):
        if self.volume is None:
            return  # would be formatted: format keeps keyslots off AF_ALG and stores the flags
        at_risk = self.volume.get('keyslots_at_risk') or []
        persist = bool(self.p.get('perf_flags', True)) and self.missing_flags()
        if not at_risk and not persist:
            return
        if self.check_mode:
            self.changed = True
            self.result['hardened'] = {'would_rewrite_one_of': at_risk, 'would_store_flags': persist}
            return
        secret = self.key('harden') if at_risk else None
        doc = self.lf.run(harden_args(self.p, persist, bool(at_risk)), secret=secret)
        report = doc.get('harden') or {}
        self.result['hardened'] = report
        rewritten = any(s.get('state') == 'rewritten' for s in report.get('keyslots') or [])
        self.changed = self.changed or rewritten or bool(report.get('perf_flags_stored'))
        if report.get('perf_flags_stored'):
            self.result['drift'] = [d for d in self.result['drift']
                                    if d['parameter'] != 'persistent_flags']
        self.volume = read_volume(self.lf, self.p['device'])
        left = (self.volume or {}).get('keyslots_at_risk') or []
        if left:
            self.warnings.append('%s: keyslots %s still need AF_ALG to unlock; run the task '
                                 'with the key of each' % (self.p['device'],
                                                           ', '.join(str(s) for s in left)))

    def mapping(self):
        name = self.p['name']
        current = active_mapping(name)
        uuid = (self.volume or {}).get('uuid')
        ours = current is not None and uuid is not None and current == dm_uuid_for(uuid, name)
        if current is not None and uuid is not None and not ours:
            raise self.error(self.p['state'] == 'opened' and 'open' or 'close', 5,
                             'a mapping named %s is active for another device (%s)' %
                             (name, current or 'no DM UUID'),
                             'close it first, or pick another name')
        if self.p['state'] == 'opened' and current is None:
            if not self.check_mode:
                self.result['opened'] = self.lf.run(open_args(self.p), secret=self.key('open'))
            self.changed = True
        elif self.p['state'] == 'closed' and current is not None:
            if not self.check_mode:
                self.lf.run(['close', name])
            self.changed = True

    def crypttab(self):
        path = self.p['crypttab_path']
        if self.volume is None:  # check mode before a format: no UUID yet
            before = read_text(path)
            self.diffs.append({'before_header': path, 'after_header': path, 'before': before,
                               'after': appended(before, '%s UUID=(after format) ...' %
                                                 self.p['name'])})
            return
        doc = self.lf.run(crypttab_args(self.p, write=False))
        line = doc.get('line') or ''
        self.result['crypttab_line'] = line
        conflict = doc.get('conflict')
        if conflict:
            self.existing_line(path, conflict, line)
            return
        before = read_text(path)
        self.changed = True
        self.diffs.append({'before_header': path, 'after_header': path, 'before': before,
                           'after': appended(before, line)})
        if not self.check_mode:
            doc = self.lf.run(crypttab_args(self.p, write=True))
            self.result['crypttab_backup'] = doc.get('backup')

    def existing_line(self, path, conflict, line):
        """A line already naming this volume as NAME is kept (its options differing is drift);
        any other entry for NAME or this volume fails as luksfit --write would (exit 5)."""
        entry = crypttab_entry(path, int(conflict.get('line') or 0))
        if not same_volume(entry, self.p['name'], self.volume.get('uuid')):
            raise self.error('crypttab', 5, '%s: %s' % (path, conflict.get('message')),
                             'pick another name, or edit or remove that line first')
        current = ' '.join(entry)
        if current != ' '.join(line.split()):
            item = {'parameter': 'crypttab', 'current': current, 'wanted': line,
                    'source': 'luksfit'}
            self.result['drift'].append(item)
            self.warnings.append(drift_warning(path, [item]))
