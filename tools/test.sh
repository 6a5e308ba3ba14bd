#!/usr/bin/env bash
# README command 2: installs what is missing, builds, runs every suite (unit, host, vm) and,
# from a second build with AddressSanitizer + UBSan, the unit and host suites again; a third,
# LTO build fails on One Definition Rule clashes (counted as a failed build).
# Ends with "N passed, N failed[, N skipped]" alone on a line; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD

tools/deps.sh || { echo "deps: installation failed"; echo "0 passed, 1 failed"; exit 1; }

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
if build build -Dvm_tests=enabled; then
	run_suites build
fi
if build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
	-Dvm_tests=disabled; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		run_suites build-asan --suite unit --suite host
fi

# One LTO link of every object of every layer (src/meson.build): two definitions of one name
# (a type or a function in two .cpp files) fail this build. Unoptimized: only the check counts.
build build-odr -Db_lto=true -Dbuildtype=plain -Doptimization=0 -Dtests=false \
	-Dvm_tests=disabled || true

exec python3 "$root/tools/summarize.py" --build-failures "$build_failed" \
	build/meson-logs/testlog.json:plain build-asan/meson-logs/testlog.json:asan
