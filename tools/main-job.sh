#!/bin/sh
# The main job, step by step: check, bench, recommend, then a validated format/open/close
# round trip on a loopback test image with recommend's choice (bench saves its results in a
# private cache that recommend, validate and format read); it ends with a summary of what was
# found, chosen and proven, and the time each step took. POSIX sh: it runs on the host or
# inside the kernel lab guest (busybox). Exit 7 (unsupported here) is reported and the job
# goes on; any other failure stops it with that step's exit status.
# Usage: main-job.sh [LUKSFIT]   (default: luksfit from PATH)
set -u
LUKSFIT=${1:-luksfit}
work=$(mktemp -d /tmp/luksfit-job.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

uptime_s() { cut -d' ' -f1 /proc/uptime; }
job_start=$(uptime_s)
times=""

# step NAME ARGS...: runs luksfit ARGS, its output shown as it comes and kept in NAME.out.
step() {
	name=$1
	shift
	echo
	echo "=== luksfit $*"
	t0=$(uptime_s)
	{
		rc=0
		"$LUKSFIT" "$@" 2>"$work/err" || rc=$?
		echo "$rc" >"$work/rc"
	} | tee "$work/$name.out"
	rc=$(cat "$work/rc")
	cat "$work/err" >&2
	took=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')
	times="$times${times:+, }$name $took s"
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 7 ]; then
		echo "--- $name FAILED (exit $rc)"
		exit "$rc"
	fi
	[ "$rc" -eq 7 ] && echo "--- $name: unsupported on this kernel (exit 7)" |
		tee -a "$work/$name.out"
	return 0
}

# said NAME SED-EXPR: the first line step NAME printed that SED-EXPR selects, or "-".
said() {
	line=$(sed -n "$2" "$work/$1.out" 2>/dev/null | head -n 1)
	echo "${line:--}"
}

step version --version
step check check
cache=$work/bench.json
step bench bench --save --cache "$cache"
step recommend recommend --cache "$cache"
step validate validate --cache "$cache"
img=$work/test.img
# A random key file for the round trip: the key never appears on argv or in output.
(umask 077 && head -c 64 /dev/urandom >"$work/key")
step image-create image create "$img" --size 64M
step format format "$img" --yes --key-file "$work/key" --cache "$cache"
step open open "$img" luksfit-job --key-file "$work/key" --cache "$cache"
step close close luksfit-job

total=$(awk -v a="$job_start" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')
echo
echo "=== summary (main job finished in $total s)"
echo "host:       $(said check 's/^Verdict: //p') (luksfit check)"
echo "choice:     $(said recommend 's/^cipher: *//p'): $(said recommend 's/^  why: //p')"
echo "perf flags: $(said recommend 's/^perf flags: *//p')"
echo "validation: $(said validate '/^validation passed/p; /unsupported/p')"
echo "volume:     $(said format 's/^formatted .* as LUKS2, UUID /LUKS2, UUID /p'); $(said format 's/^verified: //p'); $(said open '/^opened /p'), $(said close '/^closed /p')"
echo "steps:      $times"
