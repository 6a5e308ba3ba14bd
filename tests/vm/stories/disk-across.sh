#!/bin/bash
# Story "disk-across": one LUKS2 volume across kernels and userlands. Formatted and filled by
# cryptsetup 2.6 (bookworm userland) on 6.1, opened by cryptsetup 2.8 (unstable userland) on
# 7.2, which checks the data and writes new data, read back by 2.6 on 6.1 again.
#
#   disk-across.sh [lab.sh run options passed to every boot, e.g. --bin PATH]...
#
# Suite vm-unstable (it needs the unstable root and its luksfit bundle). The disk image lives
# in a private temporary folder, removed at the end; with LAB_LOG_DIR set, each boot's serial
# console is also saved there as disk-across-<boot>.log.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
story_init disk-across "$@"

boot format --kernel 6.1 --variant stock --userland bookworm \
    --scenario "$scenarios/disk-format.sh"
uuid=$(disk_uuid format)

boot unstable --kernel 7.2 --variant stock --userland unstable \
    --scenario "$scenarios/disk-cross.sh" --env "LAB_EXPECT_UUID=$uuid" \
    --env "LAB_READ_SEED=$seed" --env "LAB_WRITE_SEED=$seed-unstable"

boot back --kernel 6.1 --variant stock --userland bookworm \
    --scenario "$scenarios/disk-cross.sh" --env "LAB_EXPECT_UUID=$uuid" \
    --env "LAB_READ_SEED=$seed-unstable"
echo "=== story disk-across: passed"
