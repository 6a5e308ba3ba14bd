#!/usr/bin/env bash
# format writes the target it checked, or nothing. Each race step happens while format is held
# at a known point: after all its checks, blocked reading its key from a pipe (--key-file -,
# read before the validation and the final recheck). Then the key is sent and format goes on.
#   - a symlink repointed to an ext4 image (or to another loop device): exit 4;
#   - the image mounted through a new loop device: exit 6;
#   - a new loop device of the image held O_EXCL by another process: exit 6;
#   - the loop devices format claimed (the target, the image's loop device) stay claimed:
#     another process cannot open them exclusively while format waits;
# and, at check time: a hard link to the image of a mounted loop device, --force: exit 6; the
# image of a loop device another process holds O_EXCL: exit 6. Every time the other image or
# file system is byte-for-byte unchanged and no loop device or mount is left behind.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd sha256sum losetup mount umount mountpoint mkfs.ext4 perl blkid
MK="$LUKSFIT_SOURCE_ROOT/images/make-image.sh"
FAST=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
export TMPDIR="$WORKDIR/tmp"
mkdir -p "$TMPDIR"
KEY="$WORKDIR/key"
printf 'luksfit-test' >"$KEY"
chmod 600 "$KEY"
MNT="$WORKDIR/mnt"
mkdir -p "$MNT"
on_cleanup "mountpoint -q '$MNT' && umount '$MNT'"

# True while process $1 is blocked in read(2) on its standard input.
reading_stdin() {
	local nr fd
	read -r nr fd _ <"/proc/$1/syscall" 2>/dev/null || return 1
	[ "$nr" = 0 ] && [ "$fd" = 0x0 ]
}

# start_waiting ARGS...: luksfit format ARGS --yes --key-file - with stdin on a FIFO held open
# here (fd 3); returns once luksfit blocks reading the key, after every check. PID in FPID.
start_waiting() {
	local fifo="$WORKDIR/key.fifo"
	rm -f "$fifo"
	mkfifo "$fifo"
	exec 3<>"$fifo"
	# 3>&-: luksfit must not hold the FIFO's write end, or it never sees the key's end.
	"$LUKSFIT" format "$@" --yes --key-file - "${FAST[@]}" <"$fifo" >"$WORKDIR/out" \
		2>"$WORKDIR/err" 3>&- &
	FPID=$!
	wait_for "format waits for its key" reading_stdin "$FPID"
}

# finish_waiting: sends the key and waits for format; RC, OUT and ERR as run() sets them.
finish_waiting() {
	printf 'luksfit-test' >&3
	exec 3>&-
	set +e
	wait "$FPID"
	RC=$?
	set -e
	FPID=
	# shellcheck disable=SC2034 # OUT and ERR: read by lib.sh's checks, like RC
	OUT=$(cat "$WORKDIR/out") ERR=$(cat "$WORKDIR/err")
}

# hold_excl DEVICE: another process opens DEVICE with O_EXCL and keeps it open until
# release_excl; HELD is "held", or "busy" when the open failed with EBUSY.
hold_excl() {
	local ctl="$WORKDIR/holder.in" ans="$WORKDIR/holder.out"
	rm -f "$ctl" "$ans"
	mkfifo "$ctl"
	# 3>&-: the holder must not keep the key FIFO of a waiting format open.
	perl -MFcntl -e '$| = 1;
		sysopen(my $fh, $ARGV[0], O_RDONLY | O_EXCL) or do { print "busy\n"; exit 1 };
		print "held\n"; <STDIN>;' "$1" <"$ctl" >"$ans" 3>&- &
	HOLDER_PID=$!
	exec {HOLDER_IN}>"$ctl"
	wait_for "the holder answers" grep -qx 'held\|busy' "$ans"
	HELD=$(cat "$ans")
}
release_excl() {
	[ -n "${HOLDER_PID:-}" ] || return 0
	exec {HOLDER_IN}>&-
	wait "$HOLDER_PID" 2>/dev/null || true
	HOLDER_PID=
}

# Cleanup: a format still waiting is interrupted (it writes nothing), a holder released.
stop_all() {
	if [ -n "${FPID:-}" ]; then
		kill -INT "$FPID" 2>/dev/null || true
		wait "$FPID" 2>/dev/null || true
	fi
	release_excl
}
on_cleanup stop_all

# attach FILE: a loop device for FILE, detached at cleanup; its path in LOOP.
attach() {
	LOOP=$(losetup -f --show "$1")
	on_cleanup "losetup -d '$LOOP' 2>/dev/null"
}

blank() { "$LUKSFIT" image create "$1" --size 64M >/dev/null; }
ext4() { SIZE=64M "$MK" ext4 "$1"; }
sum() { sha256sum <"$1"; }
unchanged() { check "$1: $(basename "$2") unchanged" test "$(sum "$2")" = "$3"; }
no_loop_on() { test -z "$(losetup -j "$1")"; }
left_nothing() {
	local f
	check "$1: nothing mounted on the test folder" sh -c "! mountpoint -q '$MNT'"
	check "$1: no test image left in TMPDIR" test -z "$(ls -A "$TMPDIR")"
	shift
	for f in "$@"; do
		wait_for "the loop device of $f is gone" no_loop_on "$f" || true
		check "no loop device left on $(basename "$f")" no_loop_on "$f"
	done
}

# 1. A symlink repointed from a blank image to an ext4 image after the checks: exit 4.
b1="$WORKDIR/blank1.img" e1="$WORKDIR/ext4-1.img"
blank "$b1"
ext4 "$e1"
sb=$(sum "$b1") se=$(sum "$e1")
ln -s "$b1" "$WORKDIR/link1"
start_waiting "$WORKDIR/link1"
ln -sfn "$e1" "$WORKDIR/link1"
finish_waiting
expect_rc "repointed symlink" 4
expect_err "repointed symlink" "names another file since it was checked"
expect_err "repointed symlink" "nothing was written"
unchanged "repointed symlink" "$e1" "$se"
unchanged "repointed symlink" "$b1" "$sb"
left_nothing "repointed symlink" "$b1" "$e1"

# 1b. The same with loop devices: a symlink repointed from one to another (holding ext4).
b2="$WORKDIR/blank2.img" e2="$WORKDIR/ext4-2.img"
blank "$b2"
ext4 "$e2"
sb=$(sum "$b2") se=$(sum "$e2")
attach "$b2"
la=$LOOP
attach "$e2"
lb=$LOOP
ln -s "$la" "$WORKDIR/link2"
start_waiting "$WORKDIR/link2"
ln -sfn "$lb" "$WORKDIR/link2"
finish_waiting
expect_rc "repointed device symlink" 4
expect_err "repointed device symlink" "names another device since it was checked"
unchanged "repointed device symlink" "$e2" "$se"
unchanged "repointed device symlink" "$b2" "$sb"
losetup -d "$la" "$lb"
left_nothing "repointed device symlink" "$b2" "$e2"

# 2. The image mounted (through a new loop device) after the checks, --force: exit 6.
e3="$WORKDIR/ext4-3.img"
ext4 "$e3"
se=$(sum "$e3")
start_waiting "$e3" --force
mount -o ro,noload,loop "$e3" "$MNT"
finish_waiting
expect_rc "mounted after the checks" 6
expect_err "mounted after the checks" "is mounted on $MNT (through /dev/loop"
umount "$MNT"
unchanged "mounted after the checks" "$e3" "$se"
left_nothing "mounted after the checks" "$e3"

# 3. --force on a hard link to the image of a mounted loop device: exit 6 at once.
e4="$WORKDIR/ext4-4.img"
ext4 "$e4"
se=$(sum "$e4")
mount -o ro,noload,loop "$e4" "$MNT"
ln "$e4" "$WORKDIR/hardlink4.img"
run "$LUKSFIT" format "$WORKDIR/hardlink4.img" --force --yes --key-file "$KEY" "${FAST[@]}"
expect_rc "hard link to a mounted image" 6
expect_err "hard link to a mounted image" "is mounted on $MNT (through /dev/loop"
umount "$MNT"
unchanged "hard link to a mounted image" "$e4" "$se"
left_nothing "hard link to a mounted image" "$e4"

# 4. The image of a loop device that another process holds O_EXCL: exit 6 at once.
b5="$WORKDIR/blank5.img"
blank "$b5"
sb=$(sum "$b5")
attach "$b5"
l5=$LOOP
hold_excl "$l5"
check "another process holds $l5 exclusively (got '$HELD')" test "$HELD" = held
run "$LUKSFIT" format "$b5" --yes --key-file "$KEY" "${FAST[@]}"
release_excl
expect_rc "image of an exclusively held loop device" 6
expect_err "image of an exclusively held loop device" "is in use ($l5 cannot be opened exclusively)"
unchanged "image of an exclusively held loop device" "$b5" "$sb"
losetup -d "$l5"
left_nothing "image of an exclusively held loop device" "$b5"

# 4b. The same race: a loop device attached after the checks and held O_EXCL: exit 6. The
# loop device that was there at the checks stays claimed by format while it waits.
b6="$WORKDIR/blank6.img"
blank "$b6"
sb=$(sum "$b6")
attach "$b6"
l6=$LOOP
start_waiting "$b6"
hold_excl "$l6"
check "format keeps $l6 claimed while it waits (got '$HELD')" test "$HELD" = busy
release_excl
attach "$b6"
l6b=$LOOP
hold_excl "$l6b"
check "another process holds the new $l6b exclusively (got '$HELD')" test "$HELD" = held
finish_waiting
release_excl
expect_rc "loop device held after the checks" 6
expect_err "loop device held after the checks" "is in use ($l6b cannot be opened exclusively)"
unchanged "loop device held after the checks" "$b6" "$sb"
losetup -d "$l6" "$l6b"
left_nothing "loop device held after the checks" "$b6"

# 5. A loop device as the target stays claimed from the checks to the write, and the write
# (libcryptsetup through the held descriptor) works.
b7="$WORKDIR/blank7.img"
blank "$b7"
attach "$b7"
l7=$LOOP
start_waiting "$l7"
hold_excl "$l7"
check "format keeps $l7 claimed while it waits (got '$HELD')" test "$HELD" = busy
release_excl
finish_waiting
expect_rc "format of a claimed loop device" 0
expect_out "format of a claimed loop device" "formatted $l7 as LUKS2"
check "the loop device's image is LUKS2" test "$(blkid -p -o value -s TYPE "$b7")" = crypto_LUKS
losetup -d "$l7"
left_nothing "format of a claimed loop device" "$b7"
finish
