#!/usr/bin/env bash
# Installs the Debian packages luksfit needs to build and test, if they are missing.
# Idempotent and quiet when everything is there. Needs root (or sudo) only to install.
set -euo pipefail

packages=(
	# build
	meson ninja-build pkg-config g++
	libcryptsetup-dev libblkid-dev libcli11-dev nlohmann-json3-dev catch2 zlib1g-dev
	# host tests: independent peers and helpers
	cryptsetup-bin e2fsprogs util-linux jq time
	# host test of recommend --device on a partition (sfdisk)
	fdisk
	# host test of crafted LUKS headers (tests/host/luks-craft.py rewrites them)
	python3
	# host test of SIGINT inside format's pre-checks (holds a syscall with strace --inject)
	strace
	# host test of the passphrase prompt on a pty (tests/host/pty_prompt.py)
	python3
	# man page (scdoc) and bash completion (its pkg-config file gives the install dir)
	scdoc bash-completion
	# host test of the initramfs-tools hook (mkinitramfs, lsinitramfs)
	initramfs-tools-core
	# udev rules: udev.pc (rules directory) and udevadm for the host test
	udev
	# kernel lab (tests/vm): qemu, the guest userland, kernel packages via apt-get download
	qemu-system-x86 busybox-static cpio kmod fio kcapi-tools
	# kernel lab: util-linux `script` runs bench under a real pty (progress bar check)
	bsdutils
	# ansible suite: the collection's engine, its unit tests, and the tools ansible-test sanity
	# runs offline (pylint, pycodestyle, yamllint, voluptuous for validate-modules)
	ansible-core python3-pytest pylint python3-pycodestyle python3-voluptuous yamllint
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
