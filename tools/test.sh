#!/usr/bin/env bash
# README command 2: installs what is missing, builds, runs every suite (unit, host, vm); the
# unit and host suites in Debian trixie (built with AddressSanitizer + UBSan) and unstable
# roots (tools/debian-root.sh; docs/build-matrix.md), unstable's build strict: without
# precompiled headers, and with an LTO link that fails on One Definition Rule clashes; the Debian packages built, linted, installed,
# upgraded and purged (tools/package-test.sh). The roots are made while the host builds, and
# built (with the packages) at idle CPU priority while the host's suites run.
# LUKSFIT_ROOT_SUITES names other suites, or none with LUKSFIT_ROOT_SUITES= (empty);
# LUKSFIT_SANITIZE_ROOT the sanitized one (default trixie; with it absent from the run, a host
# ASan build is made instead); LUKSFIT_STRICT_ROOT the strict one (default unstable; else a
# host ODR build). Prints the time each part took.
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
# 392 s one after the other, docs/build-matrix.md), and the packages' clean bookworm root too.
read -ra root_suites <<<"$suites"
make_pids=()
for s in "${root_suites[@]}"; do
	in_bg "build-root-$s.make.log" tools/debian-root.sh make "$s"
	make_pids+=("$BG_PID")
done
in_bg build-package.root.log tools/package-test.sh root

# The sanitizer run: the root named here is built with ASan+UBSan (the host is not built a
# fourth time); with that root not in the run, a host build is.
sanitize_suite=${LUKSFIT_SANITIZE_ROOT-trixie}
sanitized() { [ -n "$sanitize_suite" ] && [ "$1" = "$sanitize_suite" ]; }
# The strict build (no precompiled headers: each file builds on its own includes; the ODR
# check's LTO link) is the root named here, with the newest compiler; with that root not in
# the run, a host ODR build is made instead.
strict_suite=${LUKSFIT_STRICT_ROOT-unstable}
strict() { [ -n "$strict_suite" ] && [ "$1" = "$strict_suite" ]; }
host_asan=1 host_odr=1
for s in "${root_suites[@]}"; do
	! sanitized "$s" || host_asan=0
	! strict "$s" || host_odr=0
done
# root_env SUITE CMD...: CMD with the SUITE root's build options.
root_env() {
	local s=$1 san='' str=''
	shift
	! sanitized "$s" || san=1
	! strict "$s" || str=1
	LUKSFIT_ROOT_SANITIZE=$san LUKSFIT_ROOT_STRICT=$str "$@"
}

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

# run_suites DIR LOGBASE ARGS...: meson test in DIR, its log DIR/meson-logs/LOGBASE.json.
run_suites() {
	local dir=$1 base=$2
	shift 2
	rm -f "$dir/meson-logs/$base.json"
	meson test -C "$dir" --no-rebuild --print-errorlogs --logbase "$base" "$@" || true
}

# The builds that need no device (each root's, the packages') run in the background at idle
# CPU priority while the host's suites run: those wait on guests and devices much of the time,
# and SCHED_IDLE takes only what they leave. Each notes its time in build-background.times.
background_builds() {
	local s t0
	for s in "${root_suites[@]}"; do
		t0=$SECONDS
		root_env "$s" tools/debian-root.sh build "$s" >"build-root-$s.build.log" 2>&1 || true
		echo "root $s build (bg) $((SECONDS - t0))" >>build-background.times
	done
	t0=$SECONDS
	tools/package-test.sh build --out build-package >build-package.build.log 2>&1 || true
	echo "packages build (bg) $((SECONDS - t0))" >>build-background.times
}

# vm_tests=enabled: nothing may be skipped for lack of a prerequisite; the lab fails instead.
# -O2 without debug information: a quarter less compile time, and nothing here reads it.
timed build build build -Dvm_tests=enabled -Ddebug=false
host_built=$?
rm -f build-background.times
# Each root's build waits for its maker (the root's lock), not the host's suites.
in_bg build-background.log chrt --idle 0 bash -c "$(declare -f background_builds root_env sanitized strict)
	root_suites=(${root_suites[*]}) sanitize_suite='$sanitize_suite' strict_suite='$strict_suite'
	background_builds"
bg_builds=$BG_PID
# Everything but the kernel lab's unstable userland, which needs the unstable root's build.
[ "$host_built" -ne 0 ] || timed suites run_suites build testlog --no-suite vm-unstable
timed "background builds (waited)" wait "$bg_builds" || cat build-background.log
for i in "${!make_pids[@]}"; do
	wait "${make_pids[i]}" || cat "build-root-${root_suites[i]}.make.log"
done
# The kernel lab with the unstable userland (suite vm-unstable): the unstable root's tools and
# the luksfit bundle its build (above, in the background) left in build-root-unstable/bundle.
vm_unstable=none
if [ "$host_built" -eq 0 ]; then
	case " ${root_suites[*]} " in
	*" unstable "*)
		timed "suites vm-unstable" run_suites build testlog-vm-unstable --suite vm-unstable
		vm_unstable=ran
		;;
	*) vm_unstable=skipped ;;
	esac
fi
if [ "$host_asan" = 1 ] && timed "build asan" build build-asan \
	-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug -Dvm_tests=disabled; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		timed "suites asan" run_suites build-asan testlog --suite unit --suite host
fi

# The ODR check (src/meson.build) without the strict root: one LTO link of every object of
# every layer, in a build of its own, unoptimized; only that link counts.
if [ "$host_odr" = 1 ]; then
	targets=src/luksfit-odr-check timed "build odr (lto)" build build-odr -Dodr_check=true \
		-Dbuildtype=plain -Doptimization=0 -Dtests=false -Dvm_tests=disabled || true
fi

# Each root: the unit and host suites inside (its build done in the background above; a failed
# build shows again here). debian-root.sh exits 1 when a test failed (its test log counts it),
# 2 on any other failure (root, build, something left behind) and 77 when the root cannot be
# made here (outside CI; in CI that is 2).
logs=(build/meson-logs/testlog.json:plain)
[ "$vm_unstable" != ran ] || logs+=(build/meson-logs/testlog-vm-unstable.json:plain)
[ "$host_asan" = 0 ] || logs+=(build-asan/meson-logs/testlog.json:asan)
extra=()
[ "$vm_unstable" != skipped ] ||
	extra+=(--skip "suite vm-unstable: the unstable root is not in LUKSFIT_ROOT_SUITES")
root_test() {
	root_env "$1" tools/debian-root.sh test "$1" > >(tee "build-root-$1.log") 2>&1
}
for s in "${root_suites[@]}"; do
	rm -f "build-root-$s/build/meson-logs/testlog.json"
	rc=0
	label=$s
	! sanitized "$s" || label=$s-asan
	timed "root $label suites" root_test "$s" || rc=$?
	log=build-root-$s/build/meson-logs/testlog.json
	[ ! -f "$log" ] || logs+=("$log:$label")
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
# The build phase ran in the background; this adds the root, install, upgrade and purge.
rc=0
timed "packages install" tools/package-test.sh install --out build-package >build-package.log 2>&1 ||
	rc=$?
logs+=(build-package/testlog.json:package)
[ -s build-package/testlog.json ] ||
	extra+=(--failure "packages: exit $rc and no test log, see build-package.log")

echo "Timings:"
printf '%s\n' "${timings[@]}"
[ ! -f build-background.times ] || awk '{n = $NF; $NF = ""; printf "  %-28s %5d s\n", $0, n}' build-background.times
printf '  %-28s %5d s\n' total "$SECONDS"
exec python3 "$root/tools/summarize.py" --build-failures "$build_failed" "${extra[@]}" "${logs[@]}"
