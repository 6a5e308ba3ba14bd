#!/usr/bin/env bash
# What format says about the target when it fails: never that a header was written when nothing
# was. A read-only loop device (losetup -r) and an image on a read-only bind mount are refused
# before anything is written (exit 2); a crypt_format whose first write fails (EIO injected
# with strace) leaves the image unchanged and says so; one whose second write fails says the
# start of the image was overwritten. Each time the image's bytes are checked.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd sha256sum losetup mount umount mountpoint strace
FAST=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
export TMPDIR="$WORKDIR/tmp"
mkdir -p "$TMPDIR"
KEY="$WORKDIR/key"
printf 'luksfit-test' >"$KEY"
chmod 600 "$KEY"

sum() { sha256sum <"$1"; }
# A 64 MiB image whose first MiB is random: any write to its header area changes its bytes.
noisy_image() {
	"$LUKSFIT" image create "$1" --size 64M >/dev/null
	head -c 1M /dev/urandom | dd of="$1" conv=notrunc status=none
}
no_header_claim() {
	check "$1: does not say a header was written" sh -c "! grep -qi 'header without' '$WORKDIR/err'"
	check "$1: does not say to format again" sh -c "! grep -q 'format it again' '$WORKDIR/err'"
}

# A read-only loop device.
img="$WORKDIR/ro-loop.img"
noisy_image "$img"
before=$(sum "$img")
loop=$(losetup -r -f --show "$img")
on_cleanup "losetup -d '$loop' 2>/dev/null"
run "$LUKSFIT" format "$loop" --yes --key-file "$KEY" "${FAST[@]}"
expect_rc "read-only loop device" 2
expect_err "read-only loop device" "Read-only file system"
no_header_claim "read-only loop device"
check "read-only loop device: unchanged" test "$(sum "$img")" = "$before"
losetup -d "$loop"

# An image on a read-only bind mount.
mkdir -p "$WORKDIR/rw" "$WORKDIR/ro"
img="$WORKDIR/rw/vol.img"
noisy_image "$img"
before=$(sum "$img")
mount --bind "$WORKDIR/rw" "$WORKDIR/ro"
on_cleanup "mountpoint -q '$WORKDIR/ro' && umount '$WORKDIR/ro'"
mount -o remount,ro,bind "$WORKDIR/ro"
run "$LUKSFIT" format "$WORKDIR/ro/vol.img" --yes --key-file "$KEY" "${FAST[@]}"
expect_rc "image on a read-only mount" 2
expect_err "image on a read-only mount" "Read-only file system"
no_header_claim "image on a read-only mount"
umount "$WORKDIR/ro"
check "image on a read-only mount: unchanged" test "$(sum "$img")" = "$before"

# crypt_format fails at its first write to the image (only writes to that file fail: -P).
img="$WORKDIR/eio.img"
noisy_image "$img"
before=$(sum "$img")
inject() { # WHEN: fail every write to $img from the WHEN-th on
	# LeakSanitizer cannot run under ptrace: in the ASan build it would abort the exit.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" run strace -f -qq -o /dev/null -P "$img" -e trace=write,pwrite64,pwritev,pwritev2 \
		-e inject=write,pwrite64,pwritev,pwritev2:error=EIO:when="$1" \
		"$LUKSFIT" format "$img" --yes --key-file "$KEY" "${FAST[@]}"
}
inject 1
expect_rc "first write fails" 1
expect_err "first write fails" "Input/output error"
expect_err "first write fails" "state: $img was not changed"
no_header_claim "first write fails"
check "first write fails: unchanged" test "$(sum "$img")" = "$before"

# ... and at its second write: the first (zeroes over the random first MiB) went through.
inject 2+
expect_rc "second write fails" 1
expect_err "second write fails" "of $img were partly overwritten"
check "second write fails: does not say unchanged" sh -c "! grep -q 'was not changed' '$WORKDIR/err'"
check "second write fails: the image did change" test "$(sum "$img")" != "$before"
check "no test image left in TMPDIR" test -z "$(ls -A "$TMPDIR")"
check "no loop device left" test -z "$(losetup -j "$WORKDIR/ro-loop.img")"
finish
