#!/bin/bash
# luksfit kernel lab: boots real Debian kernels under qemu (TCG) and runs a guest scenario.
#
#   lab.sh kernels [--refresh] [--kernel K]...
#                                       resolve and fetch the kernels (all, or each K) into the
#                                       cache (prints every package and version resolved)
#   lab.sh image [--kernel K] [--variant V] [--userland U]
#                                       build (or reuse) the base initramfs of a combination
#   lab.sh run [--kernel K] [--variant V] [--userland U] --scenario FILE
#              [--disk PATH[:SIZE]]... [--timeout S] [--bin PATH]... [--tool fio]
#              [--env NAME=VALUE]... [--log FILE]... [--initrd FILE]
#                   --initrd: boot FILE (e.g. made by mkinitramfs for the variant's kernel)
#                   instead of the lab's base image; the scenario cpio with the lab's /init
#                   is still appended, so FILE needs busybox and its own modules
#   lab.sh clean                        remove the cache
#
# Kernels (--kernel, default 6.1): 6.1-old (oldest linux-image-6.1.0-*-cloud-amd64-unsigned),
# 6.1 (newest), 6.12 (newest linux-image-6.12.*+deb12-cloud-amd64-unsigned), 7.2 (newest
# linux-image-7.*-cloud-amd64 of Debian unstable, through a private apt state in the cache).
# Variants (--variant, default stock): stock, no-afalg (af_alg.ko/algif_*.ko removed),
# no-dmcrypt (dm-crypt.ko removed); old = --kernel 6.1-old --variant stock (the guest still
# says "old").
# Userlands (--userland, default bookworm): bookworm (the host's tools, --bin files with the
# host's libraries), unstable (tools and libraries of the unstable Debian root, luksfit from
# its build bundle, other --bin files with the root's libraries; no kcapi tools, no --tool).
#
# Environment:
#   LAB_CACHE       cache folder (default: <repo>/build/lab-cache)
#   LAB_KERNEL_NEW  package of the newest 6.1 kernel (default: newest
#                   linux-image-6.1.0-*-cloud-amd64-unsigned known to apt-cache)
#   LAB_KERNEL_OLD  package of the oldest 6.1 kernel (default: the oldest one)
#   LAB_KERNEL_612  package of the 6.12 kernel; LAB_KERNEL_72: the 7.x meta package (unstable)
#   LAB_UNSTABLE_MIRROR  archive for the unstable apt state (default: the host's, as
#                   tools/debian-root.sh mirror finds it)
#   LAB_UNSTABLE_ROOT    unstable root (default: tools/debian-root.sh path unstable)
#   LAB_UNSTABLE_BUNDLE  luksfit bundle of the unstable root's build
#                   (default: <repo>/build-root-unstable/bundle)
#   LAB_QEMU        qemu binary (default: qemu-system-x86_64)
#   LAB_MEMORY      guest memory (default: 1536M)
#   LAB_REQUIRE     1: a missing prerequisite (qemu, kernel download, unstable root or
#                   bundle) is an error, not a skip
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
KERNEL_PATTERN_612='^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$'
KERNEL_PATTERN_7='^linux-image-7\.[0-9]+\.[0-9]+\+deb[0-9]+-cloud-amd64$'
# The unstable userland: luksfit from the unstable root's build bundle (tools/debian-root.sh
# build unstable), the tools and libraries from that root (tools/debian-root.sh path unstable).
UNSTABLE_BUNDLE=${LAB_UNSTABLE_BUNDLE:-$REPO_DIR/build-root-unstable/bundle}
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
