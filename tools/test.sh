#!/usr/bin/env bash
# README command 2: installs what is missing, builds, runs every suite (unit, host, vm) and,
# from a second build with AddressSanitizer + UBSan, the unit and host suites again; a third,
# LTO build fails on One Definition Rule clashes (counted as a failed build). With
# LUKSFIT_ROOT_SUITES="trixie unstable", the unit and host suites again in those Debian roots
# (tools/debian-root.sh, made in the background meanwhile). Not yet on by default: the suites
# have not passed in both roots as they stand (docs/build-matrix.md).
# Ends with "N passed, N failed[, N skipped]" alone on a line; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
suites=${LUKSFIT_ROOT_SUITES-}

timings=()
# timed NAME CMD...: runs CMD and notes how long it took.
timed() {
	local name=$1 t0=$SECONDS rc=0
	shift
	"$@" || rc=$?
	timings+=("$(printf '  %-22s %5d s' "$name" $((SECONDS - t0)))")
	return $rc
}

timed deps tools/deps.sh || { echo "deps: installation failed"; echo "0 passed, 1 failed"; exit 1; }

# The roots are made (or found in the cache) while the host builds: mostly downloads and dpkg.
roots_pid=
if [ -n "$suites" ]; then
	# shellcheck disable=SC2086  # one suite per word
	setsid tools/debian-root.sh make $suites >build-roots-make.log 2>&1 </dev/null &
	roots_pid=$!
	# Its own process group, ended whole (its trap unmounts) if this run is interrupted.
	trap 'kill -TERM -- -$roots_pid 2>/dev/null; wait $roots_pid; exit 130' INT TERM HUP
fi

# setup DIR ARGS...: configure (or reconfigure) a build dir with warnings as errors.
setup() {
	local dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" -Dwerror=true "$@" >"$dir.setup.log" 2>&1
	else
		meson setup "$dir" -Dwerror=true "$@" >"$dir.setup.log" 2>&1
	fi || { cat "$dir.setup.log"; return 1; }
}

build_failed=0
# build DIR ARGS...: configure and compile; on failure the run goes on and counts one failure.
build() {
	local dir=$1
	if setup "$@" && ninja -C "$dir" >"$dir.ninja.log" 2>&1; then
		return 0
	fi
	[ -f "$dir.ninja.log" ] && tail -40 "$dir.ninja.log"
	echo "build of $dir FAILED"
	build_failed=$((build_failed + 1))
	return 1
}

run_suites() {
	local dir=$1
	shift
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" --no-rebuild --print-errorlogs "$@" || true
}

# vm_tests=enabled: nothing may be skipped for lack of a prerequisite; the lab fails instead.
if timed build build build -Dvm_tests=enabled; then
	timed suites run_suites build
fi
if timed "build asan" build build-asan -Db_sanitize=address,undefined -Db_lundef=false \
	-Dbuildtype=debug -Dvm_tests=disabled; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		timed "suites asan" run_suites build-asan --suite unit --suite host
fi

# One LTO link of every object of every layer (src/meson.build): two definitions of one name
# (a type or a function in two .cpp files) fail this build. Unoptimized: only the check counts.
timed "build odr (lto)" build build-odr -Db_lto=true -Dbuildtype=plain -Doptimization=0 \
	-Dtests=false -Dvm_tests=disabled || true

# Each root: build and the unit and host suites inside. debian-root.sh exits 1 when a test
# failed (its test log counts it), 2 on any other failure (root, build, something left behind)
# and 77 when the root cannot be made here (outside CI; in CI that is 2).
logs=(build/meson-logs/testlog.json:plain build-asan/meson-logs/testlog.json:asan)
extra=()
if [ -n "$roots_pid" ]; then
	timed "roots made (waited)" wait "$roots_pid" || cat build-roots-make.log
	trap - INT TERM HUP
fi
root_test() {
	tools/debian-root.sh test "$1" > >(tee "build-root-$1.log") 2>&1
}
for s in $suites; do
	rm -f "build-root-$s/build/meson-logs/testlog.json"
	rc=0
	timed "root $s" root_test "$s" || rc=$?
	log=build-root-$s/build/meson-logs/testlog.json
	[ ! -f "$log" ] || logs+=("$log:$s")
	reason=$(grep -m1 -E 'cannot make|FAILED|LEFT BEHIND' "build-root-$s.log" |
		sed 's/^debian-root: //')
	case $rc in
	0 | 1) ;;
	77) extra+=(--skip "root:$s: ${reason:-exit 77}") ;;
	*) extra+=(--failure "root:$s: ${reason:-exit $rc}, see build-root-$s.log") ;;
	esac
done

# Debian packages (tools/package-test.sh, docs/packaging.md): build from a clean export of
# HEAD, lintian, install into a clean bookworm root, autopkgtests, upgrade, purge; each check
# a line of its test log. Exit 77 (no root, a tool missing) is a skip it has logged itself.
rc=0
timed packages tools/package-test.sh --out build-package >build-package.log 2>&1 || rc=$?
logs+=(build-package/testlog.json:package)
[ -s build-package/testlog.json ] ||
	extra+=(--failure "packages: exit $rc and no test log, see build-package.log")

echo "Timings:"
printf '%s\n' "${timings[@]}"
printf '  %-22s %5d s\n' total "$SECONDS"
exec python3 "$root/tools/summarize.py" --build-failures "$build_failed" "${extra[@]}" "${logs[@]}"
