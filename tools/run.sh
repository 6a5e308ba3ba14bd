#!/usr/bin/env bash
# README command 1: the main job (tools/main-job.sh) on this machine if its kernel has
# AF_ALG and dm-crypt and we are root; otherwise inside the kernel lab (tests/vm), booted
# automatically with a stock Debian kernel. Installs and builds what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

native_ok() {
	[ "$(id -u)" -eq 0 ] || return 1
	grep -qw device-mapper /proc/devices || modprobe -q dm-crypt 2>/dev/null || return 1
	python3 -c 'import socket; socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET)' 2>/dev/null
}

if native_ok; then
	echo "luksfit: running natively on $(uname -r)"
	exec sh tools/main-job.sh "$PWD/build/src/luksfit"
fi
echo "luksfit: this kernel ($(uname -r)) lacks AF_ALG or dm-crypt, or we are not root:"
echo "luksfit: running the main job in the kernel lab (qemu, Debian stock kernel)"
LAB_CACHE=${LAB_CACHE:-$PWD/build/lab-cache} exec tests/vm/lab.sh run --variant stock \
	--scenario tools/main-job.sh --bin build/src/luksfit --bin build/tests/vm/lab_probe --timeout 600 \
	--env LAB_QUIET_KERNEL=1
