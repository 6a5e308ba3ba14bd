# -*- coding: utf-8 -*-
"""What luksfit_volume decides: the argv of each luksfit command, drift, mapping state.

Kept apart from the module's documentation so that unit tests drive it with a fake runner."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.luksfit.luksfit.plugins.module_utils.luksfit import (
    LuksfitError, key_argv)

SYS_BLOCK = '/sys/class/block'


def param_args(p):
    """format's parameter options for the module's parameters (only those given)."""
    args = []
    for opt, key in (('--cipher', 'cipher'), ('--key-size', 'key_size'),
                     ('--sector-size', 'sector_size'), ('--label', 'label'),
                     ('--cache', 'cache')):
        if p.get(key) is not None:
            args += [opt, str(p[key])]
    pbkdf = p.get('pbkdf') or {}
    if pbkdf.get('algorithm'):
        args += ['--pbkdf', pbkdf['algorithm']]
    if pbkdf.get('iteration_time') is not None:
        args += ['--iter-time', str(int(round(pbkdf['iteration_time'] * 1000)))]
    if pbkdf.get('iteration_count') is not None:
        args += ['--pbkdf-force-iterations', str(pbkdf['iteration_count'])]
    if pbkdf.get('memory') is not None:
        args += ['--pbkdf-memory', str(pbkdf['memory'])]
    if not p.get('perf_flags', True):
        args.append('--no-perf-flags')
    return args


def format_args(p, dry_run):
    """`luksfit format DEVICE ...`: the plan only (--dry-run), or the real run with --yes."""
    args = ['format', p['device']] + param_args(p)
    if p.get('force'):
        args.append('--force')
    if p.get('validation_dir'):
        args += ['--dir', p['validation_dir']]
    if dry_run:
        return args + ['--dry-run']
    return args + key_argv(p.get('key_file')) + ['--yes']


def plan_args(p):
    """The plan format would apply to this (already LUKS) device: a dry run that passes its
    signature (--force), to compare with what the header holds. Writes nothing."""
    return ['format', p['device']] + param_args(p) + ['--force', '--dry-run']


def harden_args(p, persist_flags, with_key):
    """`luksfit harden`: the key only when a keyslot is to be rewritten (else none is read)."""
    args = ['harden', p['device']] + (key_argv(p.get('key_file')) if with_key else [])
    if persist_flags:
        args.append('--persist-perf-flags')
    return args


def open_args(p):
    args = ['open', p['device'], p['name']] + key_argv(p.get('key_file'))
    if not p.get('perf_flags', True):
        args.append('--no-perf-flags')
    return args


def crypttab_args(p, write):
    args = ['crypttab', p['device'], p['name'], '--crypttab', p['crypttab_path']]
    for flag, key in (('--initrd', 'initrd'), ('--discard', 'discard')):
        if p.get(key):
            args.append(flag)
    if not p.get('perf_flags', True):
        args.append('--no-perf-flags')
    if p.get('crypttab_key_file'):
        args += ['--key-file', p['crypttab_key_file']]
    if write:
        args.append('--write')
    return args


def read_volume(lf, device):
    """The audit of `luksfit check DEVICE` (a dict), or None when it holds no LUKS volume
    (luksfit exits 4 when no target could be read)."""
    try:
        doc = lf.run(['check', device])
    except LuksfitError as e:
        if e.rc == 4:
            return None
        raise
    for v in doc.get('volumes') or []:
        if v.get('readable'):
            return v
    return None


def drift(volume, plan, asked):
    """Differences between the header and the plan: the asked parameters, else the ones luksfit
    would choose now (its recommendation). Each: parameter, current, wanted, source."""
    out = []

    def add(param, current, wanted, key):
        if wanted is None or current == wanted:
            return
        out.append({'parameter': param, 'current': current, 'wanted': wanted,
                    'source': 'asked' if asked.get(key) is not None else 'recommended'})

    if volume.get('version') != 2:
        out.append({'parameter': 'version', 'current': volume.get('version'), 'wanted': 2,
                    'source': 'luksfit'})
    add('cipher', volume.get('cipher'), plan.get('cipher', asked.get('cipher')), 'cipher')
    add('key_size', volume.get('key_bits'), plan.get('key_size', asked.get('key_size')),
        'key_size')
    add('sector_size', volume.get('sector_size'),
        plan.get('sector_size', asked.get('sector_size')), 'sector_size')
    stored = set(volume.get('persistent_flags') or [])
    missing = [f for f in plan.get('perf_flags') or [] if f not in stored]
    if missing:
        out.append({'parameter': 'persistent_flags', 'current': sorted(stored),
                    'wanted': sorted(stored | set(missing)), 'source': 'recommended'})
    return out


def drift_warning(device, items):
    parts = ['%s is %s, %s %s' % (d['parameter'], d['current'], d['source'], d['wanted'])
             for d in items]
    return ('%s: %s; an existing LUKS volume is never reformatted (back up, then format it '
            'anew, or re-encrypt with cryptsetup reencrypt)' % (device, '; '.join(parts)))


def plan_text(plan):
    """The plan as lines for diff mode."""
    pbkdf = plan.get('pbkdf') or {}
    lines = ['type: luks2',
             'cipher: %s' % plan.get('cipher'),
             'key_size: %s' % plan.get('key_size'),
             'sector_size: %s' % plan.get('sector_size'),
             'keyslot_cipher: %s/%s' % (plan.get('keyslot_cipher'), plan.get('keyslot_key_size')),
             'pbkdf: %s' % pbkdf.get('type'),
             'perf_flags: %s' % (' '.join(plan.get('perf_flags') or []) or 'none')]
    if plan.get('label'):
        lines.append('label: %s' % plan['label'])
    return '\n'.join(lines) + '\n'


def dm_uuid_for(uuid, name):
    """The device-mapper UUID cryptsetup gives a LUKS2 mapping: CRYPT-LUKS2-<hex>-<name>."""
    return 'CRYPT-LUKS2-%s-%s' % ((uuid or '').replace('-', ''), name)


def active_mapping(name):
    """The DM UUID of the active mapping called NAME, '' when it has none, None when no such
    mapping is active (read from sysfs: no dmsetup needed)."""
    sys_block = SYS_BLOCK
    try:
        entries = os.listdir(sys_block)
    except OSError:
        return None
    for entry in sorted(entries):
        if not entry.startswith('dm-'):
            continue
        base = os.path.join(sys_block, entry, 'dm')
        try:
            with open(os.path.join(base, 'name')) as f:
                if f.read().strip() != name:
                    continue
            with open(os.path.join(base, 'uuid')) as f:
                return f.read().strip()
        except (IOError, OSError):
            continue
    return None


def crypttab_entry(path, line_number):
    """Fields of line LINE_NUMBER (1-based) of a crypttab file, or []."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except (IOError, OSError):
        return []
    if line_number < 1 or line_number > len(lines):
        return []
    return lines[line_number - 1].split()


def same_volume(entry, name, uuid):
    """Whether crypttab fields name this volume as NAME (UUID= or /dev/disk/by-uuid/)."""
    if len(entry) < 2 or entry[0] != name or not uuid:
        return False
    dev = entry[1]
    for prefix in ('UUID=', '/dev/disk/by-uuid/'):
        if dev.startswith(prefix):
            return dev[len(prefix):].lower() == uuid.lower()
    return False
