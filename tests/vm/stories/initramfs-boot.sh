#!/bin/bash
# Story "initramfs-boot": mkinitramfs with the luksfit hook builds an initramfs for the lab's
# newest kernel (the host test tests/host/initramfs.sh, which also checks its listing), then
# the lab boots THAT initramfs (lab.sh run --initrd, the lab's /init appended) and an Adiantum
# volume is formatted, opened through dm-crypt and read back with only the modules it holds
# (no af_alg/algif_* in it: AF_ALG is not needed).
#
#   initramfs-boot.sh [lab.sh run options, e.g. --bin build/src/luksfit --bin .../lab_probe]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../../.." && pwd)
lab=${LAB_SH:-$here/../lab.sh}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-story.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The luksfit binary under test is one of the --bin arguments; the hook is in its build tree.
luksfit=
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    if [[ ${args[i]} == --bin && $(basename "${args[i + 1]}") == luksfit ]]; then
        luksfit=$(readlink -f "${args[i + 1]}")
    fi
done
[[ -n $luksfit ]] || { echo "initramfs-boot: pass --bin PATH/luksfit" >&2; exit 99; }
hook=$(dirname "$(dirname "$luksfit")")/hooks/luksfit
[[ -f $hook ]] || { echo "initramfs-boot: no configured hook at $hook" >&2; exit 99; }
[[ $(id -u) -eq 0 ]] || { echo "initramfs-boot: SKIP: mkinitramfs needs root" >&2; exit 77; }

echo "=== story initramfs-boot: mkinitramfs with the luksfit hook"
rc=0
LUKSFIT=$luksfit LUKSFIT_SOURCE_ROOT=$src LUKSFIT_HOOK=$hook LUKSFIT_INITRD_OUT=$tmp/initrd.img \
    bash "$src/tests/host/initramfs.sh" || rc=$?
[[ $rc -eq 0 ]] || exit "$rc"

echo "=== story initramfs-boot: boot the generated initramfs"
log=(--log "$tmp/boot.console")
[[ -n ${LAB_LOG_DIR:-} ]] && log+=(--log "$LAB_LOG_DIR/initramfs-boot.log")
"$lab" run --variant stock --initrd "$tmp/initrd.img" \
    --scenario "$here/../scenarios/initramfs-adiantum.sh" \
    --bin "$(command -v cryptsetup)" --bin "$(command -v dmsetup)" \
    --disk "$tmp/disk.img:64M" "${log[@]}" "$@"
