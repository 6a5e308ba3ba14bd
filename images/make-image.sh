#!/usr/bin/env bash
# Generates a standard luksfit test image with independent tools (cryptsetup CLI, mkfs.ext4).
# Usage: images/make-image.sh KIND PATH
# KIND: luks2-aes-xts-512 luks2-aes-xts-256 luks2-adiantum-xchacha12 luks2-adiantum-xchacha20
#       luks2-serpent-xts-512 luks2-twofish-xts-512 luks1 ext4 truncated corrupted-header empty
# Environment: SIZE (default 32M), PASSPHRASE (default "luksfit-test"; the key of every LUKS
# image, written without a newline), ITERATIONS (PBKDF2 iterations, default 1000: fast, tests only).
# Only aes-xts kinds work without AF_ALG (libcryptsetup's userspace backend); the others need the
# kernel crypto API (the kernel lab).
set -euo pipefail

kind=${1:?usage: make-image.sh KIND PATH}
path=${2:?usage: make-image.sh KIND PATH}
size=${SIZE:-32M}
pass=${PASSPHRASE:-luksfit-test}
iters=${ITERATIONS:-1000}

[ -e "$path" ] && { echo "make-image.sh: $path exists; not overwriting" >&2; exit 1; }
remove_unless_made() { [ "$1" -eq 0 ] || rm -f "$path"; }
trap 'remove_unless_made $?' EXIT

luks2() { # CIPHER KEYBITS
	truncate -s "$size" "$path"
	printf '%s' "$pass" | cryptsetup luksFormat --batch-mode --type luks2 --cipher "$1" \
		--key-size "$2" --sector-size 4096 --pbkdf pbkdf2 --pbkdf-force-iterations "$iters" \
		--key-file - "$path"
}

case "$kind" in
luks2-aes-xts-512) luks2 aes-xts-plain64 512 ;;
luks2-aes-xts-256) luks2 aes-xts-plain64 256 ;;
luks2-adiantum-xchacha12) luks2 xchacha12,aes-adiantum-plain64 256 ;;
luks2-adiantum-xchacha20) luks2 xchacha20,aes-adiantum-plain64 256 ;;
luks2-serpent-xts-512) luks2 serpent-xts-plain64 512 ;;
luks2-twofish-xts-512) luks2 twofish-xts-plain64 512 ;;
luks1)
	truncate -s "$size" "$path"
	printf '%s' "$pass" | cryptsetup luksFormat --batch-mode --type luks1 \
		--cipher aes-xts-plain64 --key-size 512 --pbkdf-force-iterations "$iters" \
		--key-file - "$path"
	;;
ext4)
	truncate -s "$size" "$path"
	mkfs.ext4 -q -F -L luksfit-ext4 "$path"
	;;
truncated)
	# A valid LUKS2 header cut inside its keyslot area: blkid still sees LUKS, nothing opens.
	luks2 aes-xts-plain64 512
	truncate -s 1M "$path"
	;;
corrupted-header)
	# The primary and secondary LUKS2 JSON areas overwritten: checksums fail, magic intact.
	luks2 aes-xts-plain64 512
	dd if=/dev/urandom of="$path" bs=1 seek=1024 count=2048 conv=notrunc status=none
	dd if=/dev/urandom of="$path" bs=1 seek=$((16384 + 1024)) count=2048 conv=notrunc status=none
	;;
empty) truncate -s "$size" "$path" ;;
*)
	echo "make-image.sh: unknown kind '$kind'" >&2
	exit 1
	;;
esac
