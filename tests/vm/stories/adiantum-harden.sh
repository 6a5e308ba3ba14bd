#!/bin/bash
# Story "adiantum-harden" (issue 3): an Adiantum LUKS2 volume formatted by the cryptsetup CLI
# with default keyslot options on the stock kernel stops unlocking without AF_ALG; luksfit check
# says so; luksfit harden (back on stock) fixes it; without AF_ALG it then opens, data intact.
#
#   adiantum-harden.sh [lab.sh run options passed to every boot, e.g. --bin PATH]...
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
story_init adiantum-harden "$@"

boot format --variant stock --scenario "$scenarios/adiantum-format.sh"
uuid=$(disk_uuid format)
boot flagged --variant no-afalg --scenario "$scenarios/adiantum-flagged.sh" --env "LAB_EXPECT_UUID=$uuid"
boot harden --variant stock --scenario "$scenarios/adiantum-harden.sh" --env "LAB_EXPECT_UUID=$uuid"
boot open --variant no-afalg --scenario "$scenarios/adiantum-open.sh" --env "LAB_EXPECT_UUID=$uuid"
echo "=== story adiantum-harden: passed"
