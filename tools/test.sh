#!/usr/bin/env bash
# README command 2: installs what is missing, builds, runs every suite (unit, host, vm) and,
# from a second build with AddressSanitizer + UBSan, the unit and host suites again; a third,
# LTO build fails on One Definition Rule clashes (counted as a failed build); then a build and
# the unit and host suites in Debian trixie and unstable roots (tools/debian-root.sh, the roots
# made in the background meanwhile; docs/build-matrix.md). LUKSFIT_ROOT_SUITES names other
# suites, or none with LUKSFIT_ROOT_SUITES= (empty). Prints the time each part took.
# Ends with "N passed, N failed[, N skipped]" alone on a line; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
suites=${LUKSFIT_ROOT_SUITES-trixie unstable}

timings=()
# timed NAME CMD...: runs CMD and notes how long it took.
timed() {
	local name=$1 t0=$SECONDS rc=0
	shift
	"$@" || rc=$?
	timings+=("$(printf '  %-28s %5d s' "$name" $((SECONDS - t0)))")
	return $rc
}

timed deps tools/deps.sh || { echo "deps: installation failed"; echo "0 passed, 1 failed"; exit 1; }

# in_bg LOG CMD...: CMD in the background in its own process group, ended whole (its trap
# unmounts) if this run is interrupted; BG_PID is its PID.
bg_pids=()
in_bg() {
	local log=$1
	shift
	setsid "$@" >"$log" 2>&1 </dev/null &
	BG_PID=$!
	bg_pids+=("$BG_PID")
}
# shellcheck disable=SC2154  # p is the trap's loop variable
trap 'for p in "${bg_pids[@]}"; do kill -TERM -- -"$p" 2>/dev/null; done; wait; exit 130' \
	INT TERM HUP

# The roots are made (or found in the cache) while the host builds: mostly downloads and dpkg,
# waiting on the network more than the CPU, so one maker per suite at once (cold: 299 s and
# 392 s one after the other, docs/build-matrix.md).
read -ra root_suites <<<"$suites"
make_pids=()
for s in "${root_suites[@]}"; do
	in_bg "build-root-$s.make.log" tools/debian-root.sh make "$s"
	make_pids+=("$BG_PID")
done

# ccache and the unit tests' precompiled header: hits need these (ccache's "Precompiled
# headers" section); without them every unit test file is compiled again in a warm run.
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}

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
# build DIR ARGS...: configure and compile ($targets, default all); on failure the run goes on
# and counts one failure.
build() {
	local dir=$1
	# shellcheck disable=SC2086  # one target per word
	if setup "$@" && ninja -C "$dir" ${targets-} >"$dir.ninja.log" 2>&1; then
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
# (a type or a function in two .cpp files) fail this build. Unoptimized, and only that link
# (luksfit's own LTO link would repeat it): only the check counts.
targets=src/luksfit-odr-check timed "build odr (lto)" build build-odr -Db_lto=true -Dbuildtype=plain -Doptimization=0 \
	-Dtests=false -Dvm_tests=disabled || true

# Each root: build and the unit and host suites inside. debian-root.sh exits 1 when a test
# failed (its test log counts it), 2 on any other failure (root, build, something left behind)
# and 77 when the root cannot be made here (outside CI; in CI that is 2).
logs=(build/meson-logs/testlog.json:plain build-asan/meson-logs/testlog.json:asan)
extra=()
for i in "${!make_pids[@]}"; do
	s=${root_suites[i]}
	timed "root $s made (waited)" wait "${make_pids[i]}" || cat "build-root-$s.make.log"
done
root_build() { in_bg "build-root-$1.build.log" tools/debian-root.sh build "$1"; }
root_test() {
	tools/debian-root.sh test "$1" > >(tee "build-root-$1.log") 2>&1
}
# Builds and suites overlap: the next root builds while this one's suites run (they wait on
# devices and child processes, not only the CPU). A failed build shows again in its test.
[ ${#root_suites[@]} -eq 0 ] || root_build "${root_suites[0]}"
for i in "${!root_suites[@]}"; do
	s=${root_suites[i]}
	timed "root $s build (waited)" wait "$BG_PID" || true
	next=${root_suites[i + 1]:-}
	[ -z "$next" ] || root_build "$next"
	rm -f "build-root-$s/build/meson-logs/testlog.json"
	rc=0
	timed "root $s suites" root_test "$s" || rc=$?
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
trap - INT TERM HUP

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
printf '  %-28s %5d s\n' total "$SECONDS"
exec python3 "$root/tools/summarize.py" --build-failures "$build_failed" "${extra[@]}" "${logs[@]}"
