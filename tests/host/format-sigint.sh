#!/usr/bin/env bash
# SIGINT right after format's pre-checks, while it waits for a key on stdin (a FIFO kept open,
# no data): the process dies by SIGINT (130), the target is untouched and nothing is left
# behind (test image, loop device). SIGINT inside the pre-checks needs a device whose reads
# the test can hold: the vm scenario luksfit-format-refusals blocks format's signature probe
# on a suspended dm device, signals it there, then resumes the device. SIGKILL while the test
# image exists leaves nothing either (luksfit-validate covers it with a loop device attached).
. "$(dirname "$0")/lib.sh"
need_cmd sha256sum losetup blkid
FAST=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
export TMPDIR="$WORKDIR/tmp"
mkdir -p "$TMPDIR"
KEY="$WORKDIR/key"
printf 'luksfit-test' >"$KEY"
chmod 600 "$KEY"

img="$WORKDIR/vol.img"
"$LUKSFIT" image create "$img" --size 64M >/dev/null
before=$(sha256sum <"$img")

untouched() {
	check "$1: target untouched" test "$(sha256sum <"$img")" = "$before"
	check "$1: no signature on the target" test -z "$(blkid -p -o value -s TYPE "$img" || true)"
	check "$1: no test image left in TMPDIR" test -z "$(ls -A "$TMPDIR")"
	check "$1: no loop device on the target" test -z "$(losetup -j "$img")"
}

# Right after the pre-checks, waiting for a key on stdin.
fifo="$WORKDIR/key.fifo"
mkfifo "$fifo"
exec 3<>"$fifo" # keeps the FIFO open: the key read blocks
"$LUKSFIT" format "$img" --yes --key-file - "${FAST[@]}" <"$fifo" >"$WORKDIR/b.out" 2>"$WORKDIR/b.err" &
pid=$!
# Wait until luksfit blocks reading the key from the pipe (handlers are installed by then).
reading_pipe() { grep -q pipe "/proc/$pid/wchan" 2>/dev/null; }
check "key wait: luksfit blocks reading the key" wait_for "the key read" reading_pipe
kill -INT "$pid" 2>/dev/null || true
set +e
wait $pid; rc=$?
set -e
exec 3>&-
check "key wait: killed by SIGINT (130), got $rc" test "$rc" -eq 130
check "key wait: says interrupted" grep -q "interrupted by INT" "$WORKDIR/b.err"
untouched "key wait"

# SIGKILL while validation's test image exists: no handler runs, yet nothing may be left
# (the image has no name in TMPDIR; the kernel frees it with the process). PBKDF2 calibrated
# to 1 s keeps the image's format step long enough to be seen.
"$LUKSFIT" format "$img" --yes --key-file "$KEY" --pbkdf pbkdf2 --iter-time 1000 \
	>"$WORKDIR/k.out" 2>"$WORKDIR/k.err" &
pid=$!
check "SIGKILL: luksfit had its test image in TMPDIR open" \
	wait_for "the test image" has_open "$pid" "$TMPDIR/*"
kill -KILL "$pid" 2>/dev/null || true
set +e
wait $pid; rc=$?
set -e
check "SIGKILL: killed (137), got $rc" test "$rc" -eq 137
untouched "SIGKILL with the test image open"

# The target is still usable: a dry run passes the same pre-checks (no stale lock, no refusal).
run "$LUKSFIT" format "$img" --dry-run "${FAST[@]}" --key-file "$KEY"
expect_rc "dry run after the interruptions" 0
finish
