#!/bin/bash
# Story "luksfit-disk": luksfit formats /dev/vda in one stock boot and writes a pattern
# through a luksfit-opened mapping; luksfit opens it in the next stock boot and the data
# reads back.
#
#   luksfit-disk.sh [lab.sh run options passed to every boot, e.g. --bin PATH]...
#
# The disk image lives in a private temporary folder, removed at the end. With LAB_LOG_DIR
# set, each boot's serial console is also saved there as luksfit-disk-<boot>.log.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
story_init luksfit-disk "$@"

boot format --variant stock --scenario "$scenarios/luksfit-disk-format.sh"
uuid=$(disk_uuid format)

boot open --variant stock --scenario "$scenarios/luksfit-disk-open.sh" --env "LAB_EXPECT_UUID=$uuid"
echo "=== story luksfit-disk: passed"
