#!/usr/bin/env bash
# shellcheck disable=SC2317  # 0.9 takes every function for unreachable as main ends in exit
# Debian roots for the build matrix (docs/build-matrix.md): a cached minbase root per suite
# (trixie, unstable) with tools/deps.list's [build] and [host] packages, and luksfit built and
# tested inside it (unit and host suites) with the host's /dev, /sys and a fresh /proc.
#
#   debian-root.sh make SUITE...            create the roots (or reuse them from the cache)
#   debian-root.sh build SUITE [--out DIR]  make, build, bundle luksfit and its libraries
#                                           (DIR default: <repo>/build-root-SUITE)
#   debian-root.sh test SUITE [--out DIR]   build, then run the unit and host suites
#   debian-root.sh run SUITE [--out DIR] [CMD...]   a command (default: a shell) in the root,
#                                           mounted as for test, the repository at its own path
#   debian-root.sh path SUITE               the ready root's path (nothing made; 77 when
#                                           it is not made yet; the kernel lab's userland)
#   debian-root.sh list | clean             the cached roots | remove them all
#   debian-root.sh mirror                   the Debian archive roots are made from
#
# Environment: LUKSFIT_ROOTS (cache, default /var/cache/luksfit-roots), LUKSFIT_ROOT_SANITIZE=1
# (build and test with AddressSanitizer + UBSan), LUKSFIT_ROOT_MIRROR
# (default: the Debian archive the host's apt uses), LUKSFIT_ROOT_MAX_AGE (days before a root
# is made anew, default 7), LUKSFIT_ROOT_DIR (use this directory as the root, made by hand or
# by a test: nothing is made or checked), LUKSFIT_ROOT_STRICT=1 (no precompiled headers, and the
# ODR check), LAB_CACHE (kernel lab cache for the initramfs host test, default
# <repo>/build/lab-cache). Exit: 0 ok, 1 a test failed, 2 any other failure (the root, the
# build, something left behind), 77 the root cannot be made here (with CI=true: 2). Mounts
# live in a private mount and PID namespace, are unmounted on exit, error or signal, and each
# run proves that no mount, process or loop device is left.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${LUKSFIT_ROOTS:-/var/cache/luksfit-roots}
MAX_AGE=${LUKSFIT_ROOT_MAX_AGE:-7}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
SELF=$REPO/tools/debian-root.sh
LEFT_BEHIND=
# Warnings as errors, no kernel lab; unoptimized and without debug info (a root's build is
# for its compiler's and libraries' verdict, and its tests: about a third less compile time
# than -O2 -g, docs/build-matrix.md), assertions kept.
BUILD_OPTIONS="-Dwerror=true -Dvm_tests=disabled -Dbuildtype=plain -Doptimization=0 -Db_ndebug=false"
# LUKSFIT_ROOT_SANITIZE=1: built with AddressSanitizer + UBSan (line tables for their reports)
# and tested with leaks detected and the first report fatal; CI's sanitizer run is this one.
SANITIZE_OPTIONS="-Db_sanitize=address,undefined -Db_lundef=false -Dcpp_args=-g1"
SANITIZE_ENV=(ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1)
[ "${LUKSFIT_ROOT_SANITIZE:-}" != 1 ] || BUILD_OPTIONS="$BUILD_OPTIONS $SANITIZE_OPTIONS"
# LUKSFIT_ROOT_STRICT=1: no precompiled headers (every file builds on its own includes, with
# the newest compiler: CI's unstable root) and the ODR check's LTO link (src/meson.build).
[ "${LUKSFIT_ROOT_STRICT:-}" != 1 ] || BUILD_OPTIONS="$BUILD_OPTIONS -Db_pch=false -Dodr_check=true"

note() { echo "debian-root: $*" >&2; }
die() {
	note "$*"
	exit 2
}
# cannot_make REASON: the root cannot be made here; a skip outside CI, a failure in CI.
cannot_make() {
	note "cannot make the ${SUITE:-} root: $*"
	[ "${CI:-}" = true ] && exit 2
	exit 77
}
now() { date +%s; }
# outcome RC WORD: WORD if RC is 0, else FAILED.
outcome() { if [ "$1" -eq 0 ]; then echo "$2"; else echo FAILED; fi; }

# The first archive URI the host's apt uses for its own release (not -security/-updates), from
# one-line and deb822 sources alike (LUKSFIT_APT_ETC: another /etc/apt, for the tests).
host_mirror() {
	local codename etc=${LUKSFIT_APT_ETC:-/etc/apt}
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	{
		cat "$etc/sources.list" "$etc"/sources.list.d/*.list 2>/dev/null |
			awk -v c="$codename" '$1 == "deb" { sub(/\[[^]]*\] */, ""); if ($3 == c) print $2 }' ||
			true # no sources.list (deb822 only): cat fails, the .sources below still count
		for f in "$etc"/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			{ grep -v '^[[:space:]]*#' "$f" || true; } | awk -v c="$codename" 'BEGIN { RS = "" }
				/(^|\n)Types:[^\n]*[ \t]deb([ \t\n]|$)/ && !/(^|\n)Enabled:[ \t]*no/ {
					s = $0; sub(/.*(^|\n)Suites:/, "", s); sub(/\n.*/, "", s)
					u = $0; sub(/.*(^|\n)URIs:[ \t]*/, "", u); sub(/[ \t\n].*/, "", u)
					if ((" " s " ") ~ ("[ \t]" c "[ \t]")) print u
				}'
		done
	} | awk 'NR == 1' # reads all: head would end the writers early (SIGPIPE fails pipefail)
}

# --- namespaces and mounts -----------------------------------------------------------------

# mounts_under DIR: the mount points at or below DIR in this mount namespace.
mounts_under() { findmnt -rn -o TARGET | awk -v d="$1" '$0 == d || index($0, d "/") == 1'; }

# procs_under DIR: " pid N" for each process chrooted at or below DIR. Also by identity (-ef):
# run from a chroot, the kernel spells the root of a process in another mount namespace from
# that namespace's top, not ours.
procs_under() {
	local p
	for p in /proc/[0-9]*; do
		case $(readlink "$p/root" 2>/dev/null) in
		"$1" | "$1"/*) printf ' pid %s' "${p#/proc/}" ;;
		*) [ ! "$p/root" -ef "$1" ] || printf ' pid %s' "${p#/proc/}" ;;
		esac
	done
}

# assert_clean DIR: nothing we started is left under DIR: no mount, process, loop device.
assert_clean() {
	local dir=$1 left p loops
	left="$(mounts_under "$dir")$(procs_under "$dir")"
	loops=$(losetup -n -O NAME,BACK-FILE 2>/dev/null |
		awk -v d="$dir/" 'index($2, d) == 1 {print $1}')
	for p in $loops; do losetup -d "$p" && left+=" $p (detached now)"; done
	if [ -n "$left" ]; then
		note "LEFT BEHIND under $dir: $left"
		return 1
	fi
	note "left behind under $dir: no mount, process or loop device"
}

# stop_ns PID: TERM to the child of unshare PID (inner, PID 1 of the namespace: it unmounts).
stop_ns() {
	local child
	for child in $(pgrep -P "$1"); do kill -TERM "$child" 2>/dev/null || true; done
}

# in_ns DIR SPEC... -- CMD...: inner's work in a new mount + PID namespace (its mounts and
# processes die with it), then proves nothing is left under DIR. Signals to us end it (TERM).
in_ns() {
	local dir=$1 pid rc=0 sig=''
	shift
	# stdin kept: a background job's would be /dev/null (an interactive shell in `run` reads it)
	unshare --mount --propagation slave --pid --fork --kill-child=TERM "$SELF" __inner "$@" 0<&0 &
	pid=$!
	# unshare ignores INT and TERM while it waits: the signal goes to its child, inner.
	trap 'sig=130; stop_ns $pid' INT
	trap 'sig=143; stop_ns $pid' TERM HUP
	while :; do
		wait "$pid" && rc=0 || rc=$?
		kill -0 "$pid" 2>/dev/null || break
	done
	trap - INT TERM HUP
	# unshare may end before its child has finished cleaning up: wait for that (bounded).
	for _ in $(seq 50); do
		[ -n "$(procs_under "$dir")" ] || break
		sleep 0.2
	done
	assert_clean "$dir" || { rc=2 && LEFT_BEHIND=1; }
	[ -z "$sig" ] || exit "$sig"
	return "$rc"
}

# inner ROOT SPEC... -- CMD...: runs as PID 1 of in_ns's namespaces: mounts each SPEC under
# ROOT, runs CMD chrooted (ROOT "-": not chrooted, no SPEC), then ends every other process of
# the namespace and unmounts in reverse order, also on error or signal.
# SPEC: self (ROOT bind-mounted on itself: a mount point, as `unshare -m` in it needs) | dev |
# sys | proc | run | bind:SRC:DST | robind:SRC:DST (DST inside the root).
inner() {
	local root=$1 spec src dst t
	shift
	# kill -1 below would reach every process of the machine outside a PID namespace.
	[ $$ -eq 1 ] || die "__inner runs only as PID 1 of its own PID namespace"
	MOUNTED=() # global: the EXIT trap runs after inner returned
	cleanup() {
		local i rc=$?
		set +e
		kill -TERM -1 2>/dev/null || true
		for t in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 -1 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL -1 2>/dev/null || true
		for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
			umount -R "${MOUNTED[i]}" 2>/dev/null || umount -R -l "${MOUNTED[i]}" || rc=1
		done
		exit "$rc"
	}
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
	while [ "$1" != -- ]; do
		spec=$1
		shift
		IFS=: read -r t src dst <<<"$spec"
		case $t in
		self) mount --bind "$root" "$root" ;;
		dev | sys) mount --rbind "/$t" "$root/$t" ;;
		proc) mount -t proc proc "$root/proc" ;;
		run) mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$root/run" ;;
		bind | robind)
			mkdir -p "$root$dst"
			mount --bind "$src" "$root$dst"
			[ "$t" = bind ] || mount -o remount,bind,ro "$root$dst"
			;;
		esac
		[ "$t" = self ] && MOUNTED+=("$root") || MOUNTED+=("$root${dst:-/$t}")
	done
	shift
	if [ "$root" = - ]; then
		"$@" 0<&0 &
	else
		# Background commands of a non-interactive shell start with SIGINT and SIGQUIT ignored
		# (and exec keeps that): the tests send them, so they get their default action back.
		chroot "$root" /usr/bin/env -i --default-signal=INT,QUIT PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LC_ALL=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive CI="${CI:-}" \
			"$@" 0<&0 &
	fi
	wait $!
}

# in_root ROOT SPEC... -- CMD...: CMD chrooted in ROOT with the SPEC mounts.
in_root() { in_ns "$1" "$@"; }

# --- roots ---------------------------------------------------------------------------------

# The root's name: suite, and a hash of everything that makes it (these functions included).
root_id() {
	{
		echo "$SUITE $MIRROR"
		"$REPO/tools/deps.sh" --list build host
		cat "$REPO/tools/deps.sh"
		declare -f bootstrap provision
	} | sha256sum | cut -c1-12 | sed "s/^/$SUITE-/"
}

bootstrap() {
	local dir=$1
	in_ns "$dir" - -- debootstrap --variant=minbase --keyring="$KEYRING" \
		--cache-dir="$CACHE/debs/$SUITE" "$SUITE" "$dir" "$MIRROR"
}

provision() {
	local dir=$1
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d" # no daemons started
	chmod 0755 "$dir/usr/sbin/policy-rc.d"
	# Signatures are checked (the root's debian-archive-keyring), Valid-Until is not: unstable's
	# Release expires in a week and a mirror may be a snapshot; a root is a build bench.
	printf '%s\n' 'APT::Install-Recommends "false";' 'Acquire::Retries "3";' \
		'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/90luksfit"
	printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/locale/*\n' \
		>"$dir/etc/dpkg/dpkg.cfg.d/90luksfit"
	# tools/deps.sh installs the groups, as on the host; packages stay in the suite's cache.
	in_root "$dir" proc "bind:$CACHE/debs/$SUITE:/var/cache/apt/archives" \
		"robind:$REPO/tools:/mnt" -- \
		sh -ec 'bash /mnt/deps.sh build host; apt-get autoclean -qq'
}

# remove_root DIR: deletes a root, never through a mount.
remove_root() {
	[ -z "$(mounts_under "$1")" ] || die "refusing to delete $1: something is mounted in it"
	rm -rf --one-file-system "$1" "$1.stamp"
}

# make_root: sets ROOT to a ready root for SUITE, made if missing or older than MAX_AGE days.
# Called holding the suite's lock.
make_root() {
	local id t0 tmp
	if [ -n "${LUKSFIT_ROOT_DIR:-}" ]; then
		ROOT=$(realpath "$LUKSFIT_ROOT_DIR")
		return 0
	fi
	id=$(root_id)
	ROOT=$CACHE/roots/$id
	if [ -f "$ROOT.stamp" ] && [ -n "$(find "$ROOT.stamp" -mtime -"$MAX_AGE")" ]; then
		note "$SUITE: cached root $ROOT"
		return 0
	fi
	command -v debootstrap >/dev/null || cannot_make "debootstrap is not installed (tools/deps.sh)"
	t0=$(now)
	mkdir -p "$CACHE/roots" "$CACHE/debs/$SUITE"
	tmp=$CACHE/roots/.new-$id
	remove_root "$tmp"
	note "$SUITE: making $ROOT from $MIRROR (log $tmp.log)"
	if ! bootstrap "$tmp" >"$tmp.log" 2>&1; then
		tail -n 5 "$tmp.log" >&2
		remove_root "$tmp"
		cannot_make "debootstrap failed (archive $MIRROR unreachable?)"
	fi
	if ! provision "$tmp" >>"$tmp.log" 2>&1; then
		tail -n 20 "$tmp.log" >&2
		remove_root "$tmp"
		cannot_make "installing the build and test packages failed"
	fi
	local old
	for old in "$CACHE/roots/$SUITE"-*; do
		[ "$old" = "$ROOT" ] || [ ! -d "$old" ] || { remove_root "$old" && rm -f "$old.log"; }
	done
	remove_root "$ROOT"
	mv "$tmp" "$ROOT"
	mv "$tmp.log" "$ROOT.log"
	versions "$ROOT" >"$ROOT.stamp"
	note "$SUITE: root made in $(($(now) - t0)) s: $(tr '\n' ' ' <"$ROOT.stamp")"
}

# versions ROOT: the versions that matter, as the root's stamp.
versions() {
	# shellcheck disable=SC2016  # dpkg-query's format
	chroot "$1" dpkg-query -W -f '${Package} ${Version}\n' libcryptsetup-dev libcli11-dev catch2 \
		meson g++ nlohmann-json3-dev libc6
}

# with_lock CMD...: CMD holding SUITE's lock (one user of a root and its package cache at
# once). No subshell: a signal to this script must reach in_ns's trap.
with_lock() {
	mkdir -p "$CACHE/lock"
	exec 9>"$CACHE/lock/$SUITE.lock"
	flock -w 3600 9 || die "$SUITE: lock held for an hour ($CACHE/lock/$SUITE.lock)"
	"$@"
	exec 9>&-
}

setup_suite() {
	SUITE=$1
	case $SUITE in
	trixie | forky | unstable | sid | testing | bookworm) ;;
	*) die "unknown suite '$SUITE' (trixie, unstable, ...)" ;;
	esac
	[ "$(id -u)" -eq 0 ] || cannot_make "needs root (debootstrap, chroot, mounts)"
	[ -z "${LUKSFIT_ROOT_DIR:-}" ] || return 0
	MIRROR=${LUKSFIT_ROOT_MIRROR:-$(host_mirror)}
	[ -n "$MIRROR" ] ||
		cannot_make "no Debian archive in /etc/apt/sources.list(.d); set LUKSFIT_ROOT_MIRROR"
}

# --- build and test ------------------------------------------------------------------------

# The mounts for building: the repository read-only at its own path, OUT and the lab cache
# writable at theirs (so build paths are the same inside and outside).
work_mounts() {
	echo self dev sys proc run "robind:$REPO:$REPO" "bind:$OUT:$OUT" "bind:$LAB:$LAB"
}

# build_only: make (or reuse) the root, build luksfit and the unit tests in it, bundle.
build_only() {
	local t0 rc=0
	make_root
	mkdir -p "$OUT" "$LAB"
	# A build dir from another root (another meson) or other options is wiped.
	[ "$(cat "$OUT/root-id" 2>/dev/null)" = "$ROOT $BUILD_OPTIONS" ] || rm -rf "$OUT/build"
	echo "$ROOT $BUILD_OPTIONS" >"$OUT/root-id"
	# The initramfs host test needs the lab's 6.1 kernel: fetched with the host's apt.
	LAB_CACHE=$LAB "$REPO/tests/vm/lab.sh" kernels --kernel 6.1 >/dev/null 2>&1 ||
		note "lab kernels not fetched (the initramfs host test will say why)"
	t0=$(now)
	# shellcheck disable=SC2046,SC2016  # one mount per word; the script expands in the root
	in_root "$ROOT" $(work_mounts) -- bash -c '
		set -e
		cd "$1"
		if [ ! -f "$2/build.ninja" ]; then
			meson setup "$2" -Dlab_cache="$3" $4 >"$2.setup.log" 2>&1 ||
				{ cat "$2.setup.log"; exit 1; }
		fi
		ninja -C "$2" >"$2.ninja.log" 2>&1 || { tail -n 60 "$2.ninja.log"; exit 1; }
		{ ldd "$2/src/luksfit"; ls /usr/lib/*-linux-gnu/libgcc_s.so.1; } >"$2.libs"
	' bash "$REPO" "$OUT/build" "$LAB" "$BUILD_OPTIONS" || rc=$?
	note "$SUITE: build $(outcome "$rc" built) in $(($(now) - t0)) s"
	[ "$rc" -eq 0 ] || return 2
	bundle || return 2
}

build_and_test() {
	local t0 rc=0
	build_only || return 2
	t0=$(now)
	local env=()
	[ "${LUKSFIT_ROOT_SANITIZE:-}" != 1 ] || env=(env "${SANITIZE_ENV[@]}")
	# shellcheck disable=SC2046
	in_root "$ROOT" $(work_mounts) -- "${env[@]}" meson test -C "$OUT/build" --no-rebuild \
		--print-errorlogs --suite unit --suite host || rc=$?
	# meson test exits with a count of failures; here 1 means "a test failed".
	if [ -n "$LEFT_BEHIND" ]; then rc=2; elif [ "$rc" -ne 0 ]; then rc=1; fi
	note "$SUITE: unit and host suites $(outcome "$rc" passed) in $(($(now) - t0)) s"
	return "$rc"
}

# bundle: the built luksfit and its library closure (ldd, plus libgcc_s that glibc loads for
# thread exit) under OUT/bundle at their paths in the root, for the kernel lab.
bundle() {
	local b=$OUT/bundle lib
	rm -rf "$b"
	mkdir -p "$b/usr/bin"
	cp "$OUT/build/src/luksfit" "$b/usr/bin/luksfit"
	awk '$2 == "=>" {print $3} $1 ~ /^\// {print $1}' "$OUT/build.libs" | sort -u |
		while read -r lib; do
			mkdir -p "$b$(dirname "$lib")"
			cp -L "$ROOT$lib" "$b$lib"
		done
	{
		echo "suite $SUITE (root $(basename "$ROOT"))"
		cat "$ROOT.stamp"
		(cd "$b" && find . -type f | sort)
	} >"$b/MANIFEST"
	note "$SUITE: luksfit and its libraries in $b"
}

cmd_run() {
	make_root
	mkdir -p "$OUT" "$LAB"
	[ $# -gt 0 ] || set -- bash -i
	# shellcheck disable=SC2046
	in_root "$ROOT" $(work_mounts) -- "$@"
}

main() {
	local cmd=${1:-}
	[ $# -gt 0 ] && shift
	case $cmd in
	__inner) inner "$@" ;;
	make)
		[ $# -gt 0 ] || die "usage: make SUITE..."
		local s
		for s in "$@"; do
			setup_suite "$s"
			with_lock make_root
		done
		;;
	build | test | run)
		[ $# -gt 0 ] || die "usage: $cmd SUITE ..."
		setup_suite "$1"
		shift
		OUT=$REPO/build-root-$SUITE
		LAB=${LAB_CACHE:-$REPO/build/lab-cache}
		if [ "${1:-}" = --out ]; then
			OUT=$(realpath -m "${2:?--out DIR}")
			shift 2
		fi
		if [ "$cmd" = test ]; then
			with_lock build_and_test
		elif [ "$cmd" = build ]; then
			with_lock build_only
		else
			with_lock cmd_run "$@"
		fi
		;;
	path)
		[ $# -eq 1 ] || die "usage: path SUITE"
		setup_suite "$1"
		if [ -n "${LUKSFIT_ROOT_DIR:-}" ]; then
			realpath "$LUKSFIT_ROOT_DIR"
		else
			# No lock: a root is moved into place whole, and its stamp written after that.
			ROOT=$CACHE/roots/$(root_id)
			[ -f "$ROOT.stamp" ] || cannot_make "not made yet: no $ROOT.stamp (debian-root.sh make $SUITE)"
			echo "$ROOT"
		fi
		;;
	mirror) host_mirror ;; # tools/package-test.sh bootstraps from the same archive
	list) ls -l "$CACHE/roots" 2>/dev/null && cat "$CACHE"/roots/*.stamp 2>/dev/null ;;
	clean)
		local r
		for r in "$CACHE"/roots/*/ "$CACHE"/roots/.new-*/; do
			[ ! -d "$r" ] || remove_root "${r%/}"
		done
		rm -rf "$CACHE/debs"
		;;
	*) awk 'NR > 2 && !/^#/ {exit} NR > 2' "$0" >&2 && exit 2 ;;
	esac
	# Here, not after the call: bash reads a script as it runs it, and must not read on after
	# main into a file edited meanwhile.
	exit 0
}

main "$@"
