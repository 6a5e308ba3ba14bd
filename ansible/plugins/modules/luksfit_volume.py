#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: luksfit_volume
short_description: Idempotent LUKS2 volumes formatted, hardened and opened by luksfit
version_added: 0.1.0
description:
  - Formats a blank device as LUKS2 with C(luksfit format) - refusals (a signature, mounted, in
    use), validation of the parameters on a loopback test image, then the format. Without
    C(cipher), C(key_size) and C(sector_size), luksfit's recommendation from a matching cached
    bench result applies, else its policy default.
  - A device that already holds LUKS is never reformatted. Where its parameters differ from
    the asked ones, or from what luksfit would choose now, the task reports C(drift) and warns,
    and changes nothing.
  - C(state=hardened) rewrites the keyslot the key opens so that it unlocks without the
    kernel's AF_ALG interface (C(luksfit harden)) when it is at risk, and stores the
    performance flags this kernel's dm-crypt supports in the header when they are missing.
  - C(state=opened) and C(state=closed) activate and deactivate C(/dev/mapper/NAME).
  - With C(crypttab=true), adds the volume's line to crypttab as C(luksfit crypttab --write)
    does (atomically, with a backup); a line already naming this volume as C(name) is left as
    it is.
  - The key is handed to luksfit on its standard input (C(--key-file -)) or named by its path
    (C(key_file)); it is never on a command line.
author:
  - luksfit contributors (!UNKNOWN)
requirements:
  - luksfit on the managed host (on its PATH, in /usr/sbin, or given as C(luksfit_path))
  - root, for block devices; C(opened) and C(closed) need device-mapper with dm-crypt
attributes:
  check_mode:
    support: full
    description: Runs C(luksfit format --dry-run) and read-only commands; writes nothing.
  diff_mode:
    support: full
    description: The format plan against the device's current state, and the crypttab change.
options:
  device:
    description:
      - The block device or image file.
    type: path
    required: true
  state:
    description:
      - V(present), a LUKS2 volume (formatted when the device holds none).
      - V(hardened), present and every keyslot the key opens unlockable without AF_ALG, plus the
        performance flags in the header (see C(perf_flags)).
      - V(opened), present and active as C(/dev/mapper/NAME).
      - V(closed), present and not active as NAME.
    type: str
    choices: [present, hardened, opened, closed]
    default: present
  name:
    description:
      - The mapping name (C(/dev/mapper/NAME)); needed by C(opened), C(closed) and C(crypttab).
    type: str
  key_file:
    description:
      - A file on the managed host holding the key (C(--key-file PATH)).
      - Mutually exclusive with C(passphrase). One of them is needed to format, harden an
        at-risk keyslot or open.
    type: path
  passphrase:
    description:
      - The passphrase, written to luksfit's standard input exactly as given (no newline added).
    type: str
  cipher:
    description:
      - Data cipher, for example C(aes-xts-plain64). Default, luksfit's recommendation.
    type: str
  key_size:
    description:
      - Volume key size in bits. Default, luksfit's recommendation.
    type: int
  sector_size:
    description:
      - Encryption sector size in bytes. Default, luksfit's (4096 unless the device rules it out).
    type: int
  label:
    description:
      - LUKS2 label, at format.
    type: str
  pbkdf:
    description:
      - Key derivation at format; luksfit's defaults (argon2id, 2 s, 1 GiB) when unset.
    type: dict
    suboptions:
      algorithm:
        description: C(--pbkdf).
        type: str
        choices: [argon2id, pbkdf2]
      iteration_time:
        description: Unlock time target in seconds (C(--iter-time), in ms).
        type: float
      iteration_count:
        description: Fixed iterations instead of a benchmark (C(--pbkdf-force-iterations)).
        type: int
      memory:
        description: Argon2 memory cap in KiB (C(--pbkdf-memory)).
        type: int
  perf_flags:
    description:
      - Store the performance flags this kernel's dm-crypt supports in the header at format
        and with C(state=hardened), and add them when opening and in crypttab. V(false) passes
        C(--no-perf-flags).
    type: bool
    default: true
  force:
    description:
      - Format even if blkid finds a signature (C(--force)); never a device in use. An existing
        LUKS volume is still never reformatted.
    type: bool
    default: false
  crypttab:
    description:
      - Add the volume's line to C(crypttab_path) (C(luksfit crypttab --write)).
    type: bool
    default: false
  crypttab_path:
    description:
      - The crypttab file.
    type: path
    default: /etc/crypttab
  crypttab_key_file:
    description:
      - The key file field of the crypttab line (default C(none), asked at boot).
    type: str
  initrd:
    description:
      - Add C(x-initrd.attach) to the crypttab line.
    type: bool
    default: false
  discard:
    description:
      - Add C(discard) to the crypttab line (passes TRIM; reveals unused blocks).
    type: bool
    default: false
  cache:
    description:
      - The bench cache format takes its default cipher from (C(--cache)).
    type: path
  validation_dir:
    description:
      - Folder for format's loopback validation image (C(--dir)).
    type: path
  luksfit_path:
    description:
      - The luksfit binary. Default, C(luksfit) on the PATH or in /usr/sbin.
    type: path
notes:
  - A failed luksfit command fails the task with its message, C(hint) and C(exit_code)
    (2 wrong key or no permission, 4 wrong device, 5 busy or exists, 6 refused for data
    safety, 7 unsupported here, 8 validation failed; see luksfit(8)).
  - In check mode a keyslot at risk counts as a change, though the key may open another slot.
seealso:
  - module: luksfit.luksfit.luksfit_facts
'''

EXAMPLES = r'''
- name: A blank disk as LUKS2 with luksfit's recommendation, listed in crypttab
  luksfit.luksfit.luksfit_volume:
    device: /dev/sdb
    name: data
    passphrase: "{{ vault_data_passphrase }}"
    crypttab: true

- name: Make sure every volume still unlocks without AF_ALG
  luksfit.luksfit.luksfit_volume:
    device: /dev/sda3
    state: hardened
    key_file: /root/sda3.key

- name: Explicit parameters, opened
  luksfit.luksfit.luksfit_volume:
    device: /dev/vdb
    state: opened
    name: scratch
    key_file: /root/scratch.key
    cipher: aes-xts-plain64
    key_size: 512
    sector_size: 4096
'''

RETURN = r'''
uuid:
  description: The volume's LUKS UUID (none in check mode before a format).
  type: str
  returned: when the device holds LUKS, or was formatted
formatted:
  description: Whether the device was formatted (in check mode, would be).
  type: bool
  returned: always
plan:
  description: The parameters format used or would use (C(luksfit format --json) C(parameters)).
  type: dict
  returned: when formatted
parameters_source:
  description: Where format's default parameters came from (cache, policy default, asked).
  type: dict
  returned: when formatted
volume:
  description: C(luksfit check DEVICE) audit of the volume after the task.
  type: dict
  returned: when the device holds LUKS
drift:
  description: Parameters of an existing volume that differ from the asked or recommended ones.
  type: list
  elements: dict
  returned: always
  sample: [{parameter: cipher, current: serpent-xts-plain64, wanted: aes-xts-plain64,
            source: recommended}]
hardened:
  description: C(luksfit harden --json) C(harden) report.
  type: dict
  returned: when harden ran
keyslots_at_risk:
  description: Keyslots still needing AF_ALG after the task.
  type: list
  elements: int
  returned: always
crypttab_line:
  description: The crypttab line for the volume.
  type: str
  returned: with crypttab, once the volume exists
commands:
  description: The luksfit command lines run (never holding a key).
  type: list
  elements: list
  returned: always
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.luksfit.luksfit.plugins.module_utils.luksfit import (
    Luksfit, LuksfitError, fail, secret_bytes)
from ansible_collections.luksfit.luksfit.plugins.module_utils.volume_task import VolumeTask

ARGUMENT_SPEC = dict(
    device=dict(type='path', required=True),
    state=dict(type='str', default='present',
               choices=['present', 'hardened', 'opened', 'closed']),
    name=dict(type='str'),
    key_file=dict(type='path', no_log=False),
    passphrase=dict(type='str', no_log=True),
    cipher=dict(type='str'),
    key_size=dict(type='int'),
    sector_size=dict(type='int'),
    label=dict(type='str'),
    pbkdf=dict(type='dict', options=dict(
        algorithm=dict(type='str', choices=['argon2id', 'pbkdf2']),
        iteration_time=dict(type='float'),
        iteration_count=dict(type='int'),
        memory=dict(type='int'),
    ), mutually_exclusive=[('iteration_time', 'iteration_count')]),
    perf_flags=dict(type='bool', default=True),
    force=dict(type='bool', default=False),
    crypttab=dict(type='bool', default=False),
    crypttab_path=dict(type='path', default='/etc/crypttab'),
    crypttab_key_file=dict(type='str', no_log=False),
    initrd=dict(type='bool', default=False),
    discard=dict(type='bool', default=False),
    cache=dict(type='path'),
    validation_dir=dict(type='path'),
    luksfit_path=dict(type='path'),
)


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[('key_file', 'passphrase')],
        required_if=[('state', 'opened', ('name',)), ('state', 'closed', ('name',)),
                     ('crypttab', True, ('name',))],
        supports_check_mode=True,
    )
    if module.params['passphrase'] == '':
        module.fail_json(msg='passphrase is empty: an empty key protects nothing', exit_code=1,
                         kind='failed')
    lf = Luksfit(module, module.params['luksfit_path'])
    task = VolumeTask(module, lf, secret_bytes(module.params['passphrase']))
    try:
        result = task.run()
    except LuksfitError as e:
        fail(module, e, **task.partial())
    for w in task.warnings:
        module.warn(w)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
