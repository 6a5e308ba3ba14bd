#!/bin/bash
# Story "harden-boot-order": boot unlocks without naming a keyslot, and libcryptsetup's search
# (priority prefer, then normal, each in the header's JSON order) stops at the first keyslot
# that fails for another reason than a wrong key, such as one that needs AF_ALG. Boot 1 (stock)
# lays out several volumes on one disk, checks luksfit check's prediction and hardens them;
# boot 2 (no-afalg) opens each with the cryptsetup CLI, no --key-slot, and reads the data back.
#
#   harden-boot-order.sh [lab.sh run options passed to every boot, e.g. --bin PATH]...
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
story_init harden-boot-order "$@"

boot harden --variant stock --scenario "$scenarios/boot-order-harden.sh"
uuid=$(disk_uuid harden)
boot open --variant no-afalg --scenario "$scenarios/boot-order-open.sh" --env "LAB_EXPECT_UUID=$uuid"
echo "=== story harden-boot-order: passed"
