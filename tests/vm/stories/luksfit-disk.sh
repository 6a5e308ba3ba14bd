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

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=${LAB_SH:-$here/../lab.sh}
scenarios=$here/../scenarios
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-story.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
disk=$tmp/disk.img
seed=luksfit-disk-$$-$RANDOM

boot() {
    local name=$1; shift
    local log=(--log "$tmp/$name.console")
    [[ -n ${LAB_LOG_DIR:-} ]] && log+=(--log "$LAB_LOG_DIR/luksfit-disk-$name.log")
    echo "=== story luksfit-disk: boot '$name' ($*)"
    "$lab" run "$@" "${log[@]}" --disk "$disk:64M" --env "LAB_PATTERN_SEED=$seed" \
        "${common[@]}"
}

common=("$@")

boot format --variant stock --scenario "$scenarios/luksfit-disk-format.sh"
uuid=$(tr -d '\r' <"$tmp/format.console" | sed -n 's/^lab-disk-uuid=\([0-9a-f-]*\)$/\1/p' \
       | tail -n1)
if [[ -z $uuid ]]; then
    echo "story: FAIL: boot 'format' printed no lab-disk-uuid= line" >&2
    exit 1
fi
echo "=== story luksfit-disk: volume UUID $uuid"

boot open --variant stock --scenario "$scenarios/luksfit-disk-open.sh" --env "LAB_EXPECT_UUID=$uuid"
echo "=== story luksfit-disk: passed"
