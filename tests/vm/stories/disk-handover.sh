#!/bin/bash
# Story "disk-handover": a LUKS2 volume formatted on /dev/vda by the stock kernel (AF_ALG
# present) is opened, and its data verified, by a kernel without AF_ALG (variant no-afalg).
#
#   disk-handover.sh [lab.sh run options passed to every boot, e.g. --bin PATH]...
#
# The disk image lives in a private temporary folder, removed at the end. With LAB_LOG_DIR
# set, each boot's serial console is also saved there as disk-handover-<boot>.log.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=${LAB_SH:-$here/../lab.sh}
scenarios=$here/../scenarios
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-story.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
disk=$tmp/disk.img
seed=handover-$$-$RANDOM

boot() {
    local name=$1; shift
    local log=(--log "$tmp/$name.console")
    [[ -n ${LAB_LOG_DIR:-} ]] && log+=(--log "$LAB_LOG_DIR/disk-handover-$name.log")
    echo "=== story disk-handover: boot '$name' ($*)"
    "$lab" run "$@" "${log[@]}" --disk "$disk:64M" --env "LAB_PATTERN_SEED=$seed" \
        "${common[@]}"
}

common=("$@")

boot format --variant stock --scenario "$scenarios/disk-format.sh"
uuid=$(tr -d '\r' <"$tmp/format.console" | sed -n 's/^lab-disk-uuid=\([0-9a-f-]*\)$/\1/p' \
       | tail -n1)
if [[ -z $uuid ]]; then
    echo "story: FAIL: boot 'format' printed no lab-disk-uuid= line" >&2
    exit 1
fi
echo "=== story disk-handover: volume UUID $uuid"

boot open --variant no-afalg --scenario "$scenarios/disk-open.sh" --env "LAB_EXPECT_UUID=$uuid"
echo "=== story disk-handover: passed"
