# shellcheck shell=bash
# Shared helpers for host tests. Source it first; it sets strict mode and a cleanup trap.
set -euo pipefail

: "${LUKSFIT:?LUKSFIT must point to the luksfit binary}"

TEST_NAME=$(basename "$0" .sh)
WORKDIR=$(mktemp -d "/tmp/luksfit-${TEST_NAME}.XXXXXX")
FAILURES=0
CHECKS=0
declare -a CLEANUP_CMDS=()

on_cleanup() { CLEANUP_CMDS+=("$*"); }

_cleanup() {
	local rc=$?
	local i
	for ((i = ${#CLEANUP_CMDS[@]} - 1; i >= 0; i--)); do
		eval "${CLEANUP_CMDS[i]}" || true
	done
	rm -rf "$WORKDIR"
	exit "$rc"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

skip() {
	echo "SKIP: $*"
	exit 77
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "'$c' is not installed"
	done
}

need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }

# wait_for WHAT CMD...: polls CMD until it succeeds, for at most 20 s; tests wait for a
# condition, never for a fixed time.
wait_for() {
	local what=$1 i
	shift
	for i in $(seq 400); do
		"$@" && return 0
		[ "$i" -lt 400 ] && sleep 0.05
	done
	echo "timed out waiting: $what"
	return 1
}

# has_open PID PATTERN: process PID has a file open whose path matches PATTERN (find -lname;
# an O_TMPFILE image shows as "DIR/#N (deleted)").
has_open() { find "/proc/$1/fd" -lname "$2" 2>/dev/null | grep -q .; }

# run CMD...: runs a command, keeping its exit status in RC and its output in OUT and ERR.
run() {
	set +e
	"$@" >"$WORKDIR/out" 2>"$WORKDIR/err"
	RC=$?
	set -e
	OUT=$(cat "$WORKDIR/out")
	ERR=$(cat "$WORKDIR/err")
}

_fail() {
	FAILURES=$((FAILURES + 1))
	echo "FAIL: $*"
	echo "  stdout: ${OUT:-}" | sed -n 1,20p
	echo "  stderr: ${ERR:-}" | sed -n 1,20p
}

check() {
	local what=$1
	shift
	CHECKS=$((CHECKS + 1))
	if "$@"; then echo "ok: $what"; else _fail "$what"; fi
}

expect_rc() { check "$1 (exit $2, got $RC)" test "$RC" -eq "$2"; }
expect_out() { check "$1: stdout has '$2'" grep -qF -- "$2" "$WORKDIR/out"; }
expect_err() { check "$1: stderr has '$2'" grep -qF -- "$2" "$WORKDIR/err"; }
expect_no_out() { check "$1: stdout empty" test ! -s "$WORKDIR/out"; }
expect_no_err() { check "$1: stderr empty" test ! -s "$WORKDIR/err"; }
# expect_json WHAT JQ-EXPR: stdout is JSON and the jq expression is true on it.
_json_true() { jq -e "$1" "$WORKDIR/out" >/dev/null 2>&1; }
expect_json() { check "$1: json $2" _json_true "$2"; }

# rekey_bench_cache FIXTURE OUT: writes the bench cache FIXTURE (a real capture from the kernel
# lab) to OUT keyed to this host (kernel release, CPU model, luksfit version) and dated now, so
# that recommend uses its figures here. Needs jq.
rekey_bench_cache() {
	local version cpu
	version=$("$LUKSFIT" --version --json | jq -r .luksfit)
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
	cpu=${cpu:-unknown}
	jq --arg k "$(uname -r)" --arg c "$cpu" --arg v "$version" --argjson t "$(date +%s)" \
		'.reports |= map(.kernel = $k | .cpu_model = $c | .luksfit_version = $v | .created = $t)' \
		"$1" >"$2"
}

finish() {
	echo "$TEST_NAME: $CHECKS checks, $FAILURES failed"
	[ "$FAILURES" -eq 0 ]
}
