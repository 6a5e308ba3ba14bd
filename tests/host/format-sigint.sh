#!/usr/bin/env bash
# SIGINT during format's pre-checks: the process dies by SIGINT (130), the target is untouched
# and nothing is left behind (test image, loop device). Two interruption points:
#  - inside the pre-checks: strace holds format in the return of its flock() on the target's
#    lock (before blkid probing and the refusal checks) while SIGINT arrives;
#  - right after them: format waits for a key on stdin (a FIFO kept open, no data).
. "$(dirname "$0")/lib.sh"
need_cmd strace sha256sum losetup blkid
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

# child_of PID : the first child of PID, waiting up to 5 s for it to exist.
child_of() {
	local c
	for _ in $(seq 50); do
		c=$(awk '{print $1}' "/proc/$1/task/$1/children" 2>/dev/null)
		[ -n "$c" ] && { echo "$c"; return 0; }
		sleep 0.1
	done
	return 1
}

# 1. Inside the pre-checks: flock() returns only after 3 s; SIGINT arrives after 1 s.
strace -f -qq -o /dev/null -e trace=flock -e inject=flock:delay_exit=3000000 \
	"$LUKSFIT" format "$img" --yes --key-file "$KEY" "${FAST[@]}" \
	>"$WORKDIR/a.out" 2>"$WORKDIR/a.err" &
tracer=$!
pid=$(child_of $tracer) || { kill $tracer; _fail "strace started no luksfit"; }
sleep 1
check "pre-checks: luksfit still running after 1 s" test -d "/proc/$pid"
kill -INT "$pid" 2>/dev/null || true
set +e
wait $tracer; rc=$?
set -e
check "pre-checks: killed by SIGINT (130), got $rc" test "$rc" -eq 130
check "pre-checks: says interrupted" grep -q "interrupted by INT" "$WORKDIR/a.err" ||
	sed 's/^/  luksfit stderr: /' "$WORKDIR/a.err"
check "pre-checks: stopped before validating" test "$(grep -c "validating" "$WORKDIR/a.out")" -eq 0
untouched "pre-checks"

# 2. Right after the pre-checks, waiting for a key on stdin.
fifo="$WORKDIR/key.fifo"
mkfifo "$fifo"
exec 3<>"$fifo" # keeps the FIFO open: the key read blocks
"$LUKSFIT" format "$img" --yes --key-file - "${FAST[@]}" <"$fifo" >"$WORKDIR/b.out" 2>"$WORKDIR/b.err" &
pid=$!
sleep 1
check "key wait: luksfit still running after 1 s" test -d "/proc/$pid"
kill -INT "$pid" 2>/dev/null || true
set +e
wait $pid; rc=$?
set -e
exec 3>&-
check "key wait: killed by SIGINT (130), got $rc" test "$rc" -eq 130
check "key wait: says interrupted" grep -q "interrupted by INT" "$WORKDIR/b.err"
untouched "key wait"

# The target is still usable: a dry run passes the same pre-checks (no stale lock, no refusal).
run "$LUKSFIT" format "$img" --dry-run "${FAST[@]}" --key-file "$KEY"
expect_rc "dry run after the interruptions" 0
finish
