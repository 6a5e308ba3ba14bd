#!/bin/bash
# Story "adiantum-harden" (issue 3): an Adiantum LUKS2 volume formatted by the cryptsetup CLI
# with default keyslot options on the stock kernel stops unlocking without AF_ALG; luksfit check
# says so; luksfit harden (back on stock) fixes it; without AF_ALG it then opens, data intact.
#
#   adiantum-harden.sh [lab.sh run options passed to every boot, e.g. --bin PATH]...
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=${LAB_SH:-$here/../lab.sh}
scenarios=$here/../scenarios
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-story.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
disk=$tmp/disk.img
seed=adiantum-$$-$RANDOM
common=("$@")

boot() {
    local name=$1; shift
    local log=(--log "$tmp/$name.console")
    [[ -n ${LAB_LOG_DIR:-} ]] && log+=(--log "$LAB_LOG_DIR/adiantum-harden-$name.log")
    echo "=== story adiantum-harden: boot '$name' ($*)"
    "$lab" run "$@" "${log[@]}" --disk "$disk:64M" --env "LAB_PATTERN_SEED=$seed" \
        "${common[@]}"
}

boot format --variant stock --scenario "$scenarios/adiantum-format.sh"
uuid=$(tr -d '\r' <"$tmp/format.console" | sed -n 's/^lab-disk-uuid=\([0-9a-f-]*\)$/\1/p' | tail -n1)
if [[ -z $uuid ]]; then
    echo "story: FAIL: boot 'format' printed no lab-disk-uuid= line" >&2
    exit 1
fi
boot flagged --variant no-afalg --scenario "$scenarios/adiantum-flagged.sh" --env "LAB_EXPECT_UUID=$uuid"
boot harden --variant stock --scenario "$scenarios/adiantum-harden.sh" --env "LAB_EXPECT_UUID=$uuid"
boot open --variant no-afalg --scenario "$scenarios/adiantum-open.sh" --env "LAB_EXPECT_UUID=$uuid"
echo "=== story adiantum-harden: passed"
