#!/bin/sh
# The main job, step by step: check, bench, recommend, then a validated format/open/close
# round trip on a loopback test image with recommend's choice (bench saves its results in a
# private cache that recommend, validate and format read). POSIX sh: it runs on the host or
# inside the kernel lab guest (busybox). Exit 7 (unsupported here) is reported and the job
# goes on; any other failure stops it with that step's exit status.
# Usage: main-job.sh [LUKSFIT]   (default: luksfit from PATH)
set -u
LUKSFIT=${1:-luksfit}
work=$(mktemp -d /tmp/luksfit-job.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

step() {
	name=$1
	shift
	echo
	echo "=== luksfit $*"
	rc=0
	"$LUKSFIT" "$@" 2>"$work/err" || rc=$?
	cat "$work/err" >&2
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 7 ]; then
		echo "--- $name FAILED (exit $rc)"
		exit "$rc"
	fi
	[ "$rc" -eq 7 ] && echo "--- $name: unsupported on this kernel (exit 7)"
	return 0
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
step open open "$img" luksfit-job --key-file "$work/key"
step close close luksfit-job
echo
echo "=== main job finished"
