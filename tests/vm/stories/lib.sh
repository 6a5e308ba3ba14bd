# shellcheck shell=bash
# Helpers for multi-boot stories: several lab boots sharing one virtio disk image.
# Source it after `set -euo pipefail`, then call `story_init NAME "$@"`.

# story_init NAME [lab.sh run options for every boot]...: sets lab, scenarios, tmp (a private
# folder removed on exit), disk (its image), seed (the data pattern's) and common (the options).
story_init() {
    story=$1; shift
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    lab=${LAB_SH:-$here/../lab.sh}
    # shellcheck disable=SC2034  # read by the stories that source this file
    scenarios=$here/../scenarios
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-story.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    disk=$tmp/disk.img
    seed=$story-$$-$RANDOM
    common=("$@")
}

# boot NAME [lab.sh run options]...: one boot with the shared disk (of $disk_size, default 64M,
# when it is first made); its serial console is
# kept as $tmp/NAME.console (and in $LAB_LOG_DIR/<story>-NAME.log when that is set).
boot() {
    local name=$1; shift
    local log=(--log "$tmp/$name.console")
    [[ -n ${LAB_LOG_DIR:-} ]] && log+=(--log "$LAB_LOG_DIR/$story-$name.log")
    echo "=== story $story: boot '$name' ($*)"
    "$lab" run "$@" "${log[@]}" --disk "$disk:${disk_size:-64M}" --env "LAB_PATTERN_SEED=$seed" \
        "${common[@]}"
}

# disk_uuid NAME: the volume UUID boot NAME printed as "lab-disk-uuid=..."; fails the story
# when there is none.
disk_uuid() {
    local uuid
    # sed reads the whole console (no SIGPIPE); the last line printed wins.
    uuid=$(tr -d '\r' <"$tmp/$1.console" | sed -n 's/^lab-disk-uuid=\([0-9a-f-]*\)$/\1/p' \
           | tail -n1)
    if [[ -z $uuid ]]; then
        echo "story $story: FAIL: boot '$1' printed no lab-disk-uuid= line" >&2
        return 1
    fi
    echo "=== story $story: volume UUID $uuid" >&2
    echo "$uuid"
}
