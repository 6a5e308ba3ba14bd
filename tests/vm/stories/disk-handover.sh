#!/bin/bash
# Story "disk-handover": a LUKS2 volume formatted on /dev/vda by the stock kernel (AF_ALG
# present) is opened, and its data verified, by a kernel without AF_ALG (variant no-afalg).
#
#   disk-handover.sh [lab.sh run options passed to every boot, e.g. --bin PATH]...
#
# The disk image lives in a private temporary folder, removed at the end. With LAB_LOG_DIR
# set, each boot's serial console is also saved there as disk-handover-<boot>.log.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
story_init disk-handover "$@"

boot format --variant stock --scenario "$scenarios/disk-format.sh"
uuid=$(disk_uuid format)

boot open --variant no-afalg --scenario "$scenarios/disk-open.sh" --env "LAB_EXPECT_UUID=$uuid"
echo "=== story disk-handover: passed"
