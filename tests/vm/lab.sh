#!/bin/bash
# luksfit kernel lab: boots real Debian kernels under qemu (TCG) and runs a guest scenario.
#
#   lab.sh kernels [--refresh]          resolve and fetch the kernels into the cache
#   lab.sh image --variant V            build (or reuse) the base initramfs of a variant
#   lab.sh run --variant V --scenario FILE [--disk PATH[:SIZE]]... [--timeout S]
#              [--bin PATH]... [--tool fio] [--env NAME=VALUE]... [--log FILE]...
#              [--initrd FILE]
#                   --initrd: boot FILE (e.g. made by mkinitramfs for the variant's kernel)
#                   instead of the lab's base image; the scenario cpio with the lab's /init
#                   is still appended, so FILE needs busybox and its own modules
#   lab.sh clean                        remove the cache
#
# Variants: stock (newest kernel), no-afalg (newest, af_alg.ko/algif_*.ko removed),
# no-dmcrypt (newest, dm-crypt.ko removed), old (oldest kernel).
#
# Environment:
#   LAB_CACHE       cache folder (default: <repo>/build/lab-cache)
#   LAB_KERNEL_NEW  package of the newest kernel (default: newest
#                   linux-image-6.1.0-*-cloud-amd64-unsigned known to apt-cache)
#   LAB_KERNEL_OLD  package of the oldest kernel (default: the oldest one)
#   LAB_QEMU        qemu binary (default: qemu-system-x86_64)
#   LAB_MEMORY      guest memory (default: 1536M)
#   LAB_REQUIRE     1: a missing prerequisite (qemu, kernel download) is an error, not a skip
#
# `run` streams the serial console to stdout and exits with the guest scenario's exit status
# (0..127). Lab failures (timeout, missing or inconsistent status, qemu error) exit 99
# (Meson: ERROR); a missing prerequisite exits 77 (Meson: SKIP) unless LAB_REQUIRE=1.
# Messages of the lab itself start with "lab:" and go to stderr.
set -eEuo pipefail
# A command that stops the lab under `set -e` says where, instead of a bare exit status.
trap 'echo "lab: error: ${BASH_SOURCE[0]##*/}:$LINENO: \"$BASH_COMMAND\" failed with status $?" >&2' ERR

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/../.." && pwd)
LAB_CACHE=${LAB_CACHE:-$REPO_DIR/build/lab-cache}
QEMU=${LAB_QEMU:-qemu-system-x86_64}
MEMORY=${LAB_MEMORY:-1536M}
KERNEL_PATTERN='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$'
STATUS_MARKER='@@lab-guest-status='
LAB_FAIL=99
LAB_SKIP=77

# Host tools copied into every guest image (with their ldd libraries), in /usr/local/bin.
PEER_TOOLS=(cryptsetup dmsetup blkid losetup mkfs.ext4 kcapi-enc kcapi-dgst kcapi-rng script)
# Host tools added only on request (run --tool NAME): fio's libraries (ceph, icu...) weigh
# 70 MiB and cost about 1.5 s per boot. Each is cached as its own cpio, appended per boot.
OPTIONAL_TOOLS=(fio)
# Module subtrees (relative to /lib/modules/KVER) copied into every guest image
# (kernel/fs/configfs: null_blk needs it, CONFIG_CONFIGFS_FS=m in the cloud kernels).
MODULE_TREES=(kernel/crypto kernel/arch/x86/crypto kernel/lib kernel/drivers/md
              kernel/drivers/block kernel/drivers/virtio kernel/drivers/char/hw_random
              kernel/fs/configfs)

die() { echo "lab: error: $*" >&2; exit "$LAB_FAIL"; }
note() { echo "lab: $*" >&2; }
skip() {
    if [[ ${LAB_REQUIRE:-0} == 1 ]]; then die "$* (LAB_REQUIRE=1)"; fi
    echo "lab: SKIP: $*" >&2
    exit "$LAB_SKIP"
}
now_ms() { date +%s%3N; }

usage() {
    sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

# Run "$@" in a subshell holding an exclusive lock named $1 in the cache (the *_locked
# functions rely on the subshell: their EXIT traps clean up their temporary folders).
with_lock() {
    local name=$1; shift
    mkdir -p "$LAB_CACHE/locks"
    (
        flock 9
        "$@"
    ) 9>"$LAB_CACHE/locks/$name.lock"
}

# shellcheck source=harness/kernels.sh
. "$LAB_DIR/harness/kernels.sh"
# shellcheck source=harness/images.sh
. "$LAB_DIR/harness/images.sh"
# shellcheck source=harness/boot.sh
. "$LAB_DIR/harness/boot.sh"

cmd_clean() {
    [[ -d $LAB_CACHE ]] && rm -rf "$LAB_CACHE"
    return 0
}

main() {
    local cmd=${1:-}
    [[ $# -gt 0 ]] && shift
    case $cmd in
        kernels) cmd_kernels "$@" ;;
        image) cmd_image "$@" ;;
        run) cmd_run "$@" ;;
        clean) cmd_clean ;;
        -h|--help|help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
