#!/usr/bin/env bash
# shellcheck disable=SC2317  # functions run through the re-exec in overlay()
# The Debian packages (debian/, docs/packaging.md) as CI tests them: built from a clean export
# of HEAD, checked by lintian, installed into a clean bookworm root (debootstrap minbase,
# cached) with `apt-get install ./*.deb` so dependencies come from Debian's archive, their
# autopkgtests run there, upgraded from a previous version, and purged without leftovers.
#
#   package-test.sh [PHASE] [--out DIR]   (DIR default: <repo>/build-package)
#
# PHASE: build (packages, contents, lintian, the previous version), root (make the clean root
# ahead of time), install (the root, install, autopkgtests, upgrade, purge); none: all of them.
#
# Each check is one line of DIR/testlog.json (Meson's test log format: tools/summarize.py
# counts it); DIR/NAME.log holds its output. Environment: LUKSFIT_ROOTS (cache, default
# /var/cache/luksfit-roots), LUKSFIT_ROOT_MIRROR (default: the archive tools/debian-root.sh
# uses), LUKSFIT_ROOT_MAX_AGE (days before the root is made anew, default 7),
# LUKSFIT_PACKAGE_CHECK=1 (build with the unit suite, dh_auto_test). Exit: 0 every check
# passed, 1 one failed, 77 this cannot run here (not root, a tool missing; with CI=true: 1).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SELF=$REPO/tools/package-test.sh
SUITE=bookworm
CACHE=${LUKSFIT_ROOTS:-/var/cache/luksfit-roots}
ROOTS=$CACHE/roots
DEBS=$CACHE/debs/$SUITE-clean
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# A fixed build path: the compiler flags name it (-ffile-prefix-map), so ccache hits next run.
BUILD_DIR=/var/tmp/luksfit-package
PACKAGES=(luksfit luksfit-initramfs luksfit-dracut)

note() { echo "package-test: $*" >&2; }

# record NAME OK|FAIL|SKIP SECONDS TEXT: one line of the test log.
record() {
	jq -nc --arg n "$1" --arg r "$2" --argjson d "$3" --arg o "$4" \
		'{name: $n, result: $r, duration: $d, stdout: $o}' >>"$LOG"
	note "$2 $1${4:+: $4}"
}

# step NAME CMD...: CMD as one counted check, its output in OUT/NAME.log.
step() {
	local name=$1 t0=$SECONDS rc=0
	shift
	note "$name ..."
	# A new process (__run): a function run left of || ignores set -e in its body, and so
	# does every subshell it starts; a check must fail at its first failing command.
	"$SELF" __run "$@" >"$OUT/$name.log" 2>&1 </dev/null || rc=$?
	if [ "$rc" -eq 0 ]; then
		record "$name" OK $((SECONDS - t0)) ""
	else
		record "$name" FAIL $((SECONDS - t0)) "$(tail -n 5 "$OUT/$name.log")"
	fi
	return "$rc"
}

# unavailable REASON [NAME]: the rest cannot run here: a skip outside CI, a failure in CI
# (which installs every tool and reaches the archive). NAME: the check (default setup).
unavailable() {
	if [ "${CI:-}" = true ]; then
		record "${2:-setup}" FAIL 0 "$1"
		exit 1
	fi
	record "${2:-setup}" SKIP 0 "SKIP: $1"
	exit 77
}

# --- build ---------------------------------------------------------------------------------

# build KIND: HEAD exported into BUILD_DIR and built; the debs, .changes and .buildinfo in
# OUT/debs/KIND.
build() {
	local kind=$1 src=$BUILD_DIR/src/luksfit opts=nocheck
	export_tree
	mkdir -p "$OUT/debs/$kind"
	[ "${LUKSFIT_PACKAGE_CHECK:-}" != 1 ] || opts=
	# debhelper 13 points HOME into the tree: name ccache's own cache, or every build is cold.
	(cd "$src" && CCACHE_DIR=$CCACHE_DIR DEB_BUILD_OPTIONS="$opts parallel=$(nproc)" \
		dpkg-buildpackage -us -uc -b)
	mv "$BUILD_DIR"/src/*.deb "$BUILD_DIR"/src/*.changes "$BUILD_DIR"/src/*.buildinfo \
		"$OUT/debs/$kind/"
	ls -l "$OUT/debs/$kind"
}

# previous: the upgrade test's previous version, PREV: the new packages repacked with their
# version (and the versioned dependencies between them) set to PREV. A build from the same
# tree under a PREV changelog entry would hold the same files and cost a second build.
previous() {
	local d tmp
	mkdir -p "$OUT/debs/prev"
	for d in "$OUT"/debs/new/*.deb; do
		tmp=$(mktemp -d)
		dpkg-deb -R "$d" "$tmp"
		sed -i -e "s/^Version: .*/Version: $PREV/" -e "s/(\([<>=]*\) $VERSION)/(\1 $PREV)/g" \
			"$tmp/DEBIAN/control"
		dpkg-deb --root-owner-group -b "$tmp" "$OUT/debs/prev/" || { rm -rf "$tmp"; return 1; }
		rm -rf "$tmp"
	done
	ls -l "$OUT/debs/prev"
	for d in "$OUT"/debs/prev/*.deb; do
		[ "$(dpkg-deb -f "$d" Version)" = "$PREV" ] || { echo "$d: not $PREV"; return 1; }
	done
}

# has DEB MODE PATH: the package ships PATH with MODE (ls -l style, e.g. -rwxr-xr-x).
has() {
	dpkg-deb -c "$1" | awk -v m="$2" -v p=".$3" '$1 == m && $6 == p {f = 1} END {exit !f}' ||
		{ echo "$(basename "$1"): no $2 $3" && return 1; }
	echo "$(basename "$1"): $2 $3"
}

# contents: each package holds its files, at Debian's paths, with their modes.
contents() {
	local d=$OUT/debs/new udevdir
	udevdir=$(pkg-config --variable=udevdir udev)
	has "$d"/luksfit_*.deb -rwxr-xr-x /usr/sbin/luksfit
	has "$d"/luksfit_*.deb -rw-r--r-- /usr/share/man/man8/luksfit.8.gz
	has "$d"/luksfit_*.deb -rw-r--r-- /usr/share/bash-completion/completions/luksfit
	has "$d"/luksfit_*.deb -rw-r--r-- "$udevdir/rules.d/61-luksfit.rules"
	has "$d"/luksfit-initramfs_*.deb -rwxr-xr-x /usr/share/initramfs-tools/hooks/luksfit
	has "$d"/luksfit-dracut_*.deb -rwxr-xr-x /usr/lib/dracut/modules.d/90luksfit/module-setup.sh
	# the update-initramfs trigger, once
	test "$(dpkg-deb -I "$d"/luksfit-initramfs_*.deb triggers | tee /dev/stderr |
		grep -cvE '^(#|$)')" = 1
	dpkg-deb -I "$d"/luksfit-initramfs_*.deb triggers | grep -qx 'activate-noawait update-initramfs'
}

lint() {
	lintian --version
	lintian --fail-on error,warning --show-overrides --info "$OUT"/debs/new/*.changes
}

# --- the clean root ------------------------------------------------------------------------

# bootstrap DIR: a minbase root with policy-rc.d (no daemon starts) and the archive's lists.
# No Recommends: the packages must work with their Depends alone.
bootstrap() {
	local dir=$1
	unshare --mount --propagation private debootstrap --variant=minbase --keyring="$KEYRING" \
		--cache-dir="$DEBS" "$SUITE" "$dir" "$MIRROR"
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 0755 "$dir/usr/sbin/policy-rc.d"
	printf '%s\n' 'APT::Install-Recommends "false";' 'Acquire::Retries "3";' \
		>"$dir/etc/apt/apt.conf.d/90luksfit"
	chroot "$dir" apt-get update -qq
}

# root_path: ROOT, the cached clean root's path, named after what makes it.
root_path() {
	ROOT=$ROOTS/$SUITE-clean-$({ echo "$SUITE $MIRROR"; declare -f bootstrap; } |
		sha256sum | cut -c1-12)
}

# make_root: ROOT made anew when missing or older than MAX_AGE days.
make_root() {
	local tmp old
	if [ -f "$ROOT.stamp" ] && [ -n "$(find "$ROOT.stamp" -mtime -"${LUKSFIT_ROOT_MAX_AGE:-7}")" ]; then
		echo "cached root $ROOT"
		return 0
	fi
	tmp=$ROOTS/.new-$(basename "$ROOT")
	mkdir -p "$ROOTS" "$DEBS"
	rm -rf --one-file-system "$tmp"
	bootstrap "$tmp" || { rm -rf --one-file-system "$tmp" && return 1; }
	for old in "$ROOTS/$SUITE"-clean-*; do
		[ ! -d "$old" ] || rm -rf --one-file-system "$old" "$old.stamp"
	done
	mv "$tmp" "$ROOT"
	date -u >"$ROOT.stamp"
	echo "made $ROOT"
}

# --- runs in a fresh overlay of the root ---------------------------------------------------

# overlay NAME FUNC: FUNC with M set to a fresh overlay of the clean root (thrown away after),
# in a private mount and PID namespace: its mounts and processes end with it. Loop devices
# are the machine's: any left on a file of the overlay is detached and fails the run.
overlay() {
	local dir=$OUT/root-$1 rc=0 loops
	rm -rf --one-file-system "$dir"
	mkdir -p "$dir/upper" "$dir/work" "$dir/merged"
	unshare --mount --propagation private --pid --fork --kill-child \
		"$SELF" __stage "$dir" "$2" || rc=$?
	loops=$(losetup -n -O NAME,BACK-FILE | awk -v d="$dir/" 'index($2, d) == 1 {print $1}')
	[ -z "$loops" ] || record "$1-left-behind" FAIL 0 "loop devices: ${loops//$'\n'/ }"
	for l in $loops; do losetup -d "$l"; done
	[ "$rc" -eq 0 ] || record "$1" FAIL 0 "ended with exit $rc"
	rm -rf --one-file-system "$dir"
}

stage() {
	local dir=$1
	M=$dir/merged
	export M
	mount -t overlay overlay -o "lowerdir=$ROOT,upperdir=$dir/upper,workdir=$dir/work" "$M"
	mount -t proc proc "$M/proc"
	mount --rbind /dev "$M/dev"
	mount --rbind /sys "$M/sys"
	mount -t tmpfs -o mode=0755 tmpfs "$M/run"
	mount --bind "$DEBS" "$M/var/cache/apt/archives"
	mkdir -p "$M/mnt/debs"
	mount --bind -o ro "$OUT/debs" "$M/mnt/debs"
	cp /etc/resolv.conf "$M/etc/resolv.conf"
	# Failures are counted by the steps; this exits non-zero only on an uncounted error.
	step "$(basename "$dir")" in_root apt-get update -qq || return 0
	"$2" || true
}

in_root() {
	chroot "$M" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# state PACKAGE: "STATUS VERSION" as dpkg knows it in the root ("ii 0.1.0"), else nothing.
state() {
	# shellcheck disable=SC2016  # dpkg-query's format
	in_root dpkg-query -W -f '${db:Status-Abbrev}${Version}' "$1" 2>/dev/null || true
}
# installed_at VERSION: every package installed at VERSION.
installed_at() {
	local p s
	for p in "${PACKAGES[@]}"; do
		s=$(state "$p")
		echo "$p: $s"
		[ "$s" = "ii $1" ] || return 1
	done
}

# in_place: the hook and the rules (and the binary they call) are where consumers look.
in_place() {
	local udevdir
	udevdir=$(pkg-config --variable=udevdir udev)
	in_root test -x /usr/sbin/luksfit
	in_root test -f "$udevdir/rules.d/61-luksfit.rules"
	test "$(stat -c %a "$M/usr/share/initramfs-tools/hooks/luksfit")" = 755
	test "$(stat -c %a "$M/usr/lib/dracut/modules.d/90luksfit/module-setup.sh")" = 755
	in_root luksfit --version
}

apt_install() { in_root sh -c "apt-get install -y $*"; }

install_new() {
	apt_install '/mnt/debs/new/*.deb'
	installed_at "$VERSION"
	in_place
}

# host_locked CMD...: CMD under the host suite's lock: it attaches loop devices, which the host
# suite (run by others on this machine) checks are all gone when it ends.
host_locked() { flock -w 3600 /tmp/luksfit-host-suite.lock "$@"; }

# autopkgtests: debian/tests in this root (autopkgtest's chroot virt-server), each counted.
# isolation-machine is ignored: this root runs on a machine of its own (CI's), whose loop
# devices the round trip uses under the host suite's lock.
autopkgtests() {
	local rc=0 name result
	host_locked autopkgtest --no-built-binaries \
		--ignore-restrictions=isolation-machine --summary-file "$OUT/autopkgtest.summary" \
		--output-dir "$OUT/autopkgtest" "$BUILD_DIR/src/luksfit" -- chroot "$M" \
		>"$OUT/autopkgtest.log" 2>&1 || rc=$?
	[ -s "$OUT/autopkgtest.summary" ] || {
		record autopkgtest FAIL 0 "no summary (exit $rc), see autopkgtest.log"
		return 1
	}
	# "NAME RESULT [why]" a line; SKIP is a failure too: CI runs every test.
	while read -r name result why; do
		if [ "$result" = PASS ]; then
			record "autopkgtest-$name" OK 0 ""
		else
			record "autopkgtest-$name" FAIL 0 "$result $why"
		fi
	done <"$OUT/autopkgtest.summary"
	[ "$rc" -eq 0 ]
}

scenario_install() {
	step install install_new || return 1
	autopkgtests
}

# snapshot: every path of the root but the package manager's own state and scratch space.
snapshot() {
	(cd "$M" && find . -xdev \( -path ./tmp -o -path ./var/tmp -o -path ./mnt -o \
		-path ./var/cache/apt -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o \
		-path ./var/log -o -path ./var/cache/debconf -o -path ./var/cache/ldconfig \) -prune \
		-o -print) | sort
}

# What Debian policy keeps after a purge, named: the administrator's /etc/crypttab, which
# `luksfit crypttab --write` edited on request, and the backup it kept beside it.
KEPT='./etc/crypttab.luksfit-bak'

install_deps() {
	local deps
	# shellcheck disable=SC2016  # dpkg-deb's format
	deps=$(for d in "$OUT"/debs/new/*.deb; do dpkg-deb -f "$d" Depends; echo; done |
		tr ',' '\n' | grep -v '^ *luksfit' | sed 's/^ *//' | grep . | sort -u | paste -sd,)
	in_root apt-get satisfy -y "$deps"
}

install_previous() {
	apt_install '/mnt/debs/prev/*.deb'
	installed_at "$PREV"
}

upgrade() {
	apt_install '/mnt/debs/new/*.deb' | tee "$OUT/upgrade-apt.log"
	installed_at "$VERSION"
	in_place
	grep -q 'Processing triggers for initramfs-tools' "$OUT/upgrade-apt.log"
}

# use: what an administrator leaves behind: a crypttab line, a bench cache.
use() {
	local img=/tmp/vol.img
	printf 'key' >"$M/tmp/key"
	in_root luksfit image create "$img" --size 32M
	in_root luksfit format "$img" --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
		--key-file /tmp/key --yes
	in_root luksfit crypttab "$img" data --write
	mkdir -p "$M/var/lib/luksfit"
	cp "$REPO/tests/fixtures/bench/lab-6.1.0-56-stock.json" "$M/var/lib/luksfit/bench.json"
}

purge() {
	local p changed
	in_root apt-get purge -y "${PACKAGES[@]}"
	for p in "${PACKAGES[@]}"; do
		[ -z "$(state "$p")" ] || { echo "$p: still known to dpkg: $(state "$p")" && return 1; }
	done
	snapshot >"$OUT/after-purge.list"
	changed=$(diff "$OUT/before-install.list" "$OUT/after-purge.list" | grep '^[<>]' |
		grep -vxF "> $KEPT" || true)
	echo "changed paths (< before install, > after purge), but $KEPT:${changed:- none}"
	[ -z "$changed" ]
	grep '^data UUID=' "$M/etc/crypttab"
}

scenario_upgrade_purge() {
	step deps install_deps || return 1
	printf '# <target name> <source device> <key file> <options>\n' >"$M/etc/crypttab"
	snapshot >"$OUT/before-install.list"
	step install-previous install_previous || return 1
	step upgrade upgrade || return 1
	step use host_locked "$SELF" __use "$M" || return 1
	step purge purge
}

# --- main ----------------------------------------------------------------------------------

# setup [--out DIR]: OUT, LOG and what every phase needs; checks that it can run here.
setup() {
	OUT=$REPO/build-package
	[ "${1:-}" != --out ] || OUT=$(realpath -m "${2:?--out DIR}")
	mkdir -p "$OUT"
	LOG=$OUT/testlog.json
	export OUT LOG
	# An error no step counted (this script's own) still fails the run in the test log.
	trap 'rc=$?; [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || grep -sq "\"FAIL\"" "$LOG" ||
		record package-test FAIL 0 "exit $rc, see the log"' EXIT
	[ "$(id -u)" -eq 0 ] || unavailable "needs root (debootstrap, chroot, mounts, loop devices)"
	for c in dpkg-buildpackage lintian debootstrap autopkgtest jq pkg-config; do
		command -v "$c" >/dev/null || unavailable "$c is not installed (tools/deps.sh packaging)"
	done
	MIRROR=${LUKSFIT_ROOT_MIRROR:-$("$REPO/tools/debian-root.sh" mirror)}
	[ -n "$MIRROR" ] || unavailable "no Debian archive in the host's apt sources"
	CCACHE_DIR=${CCACHE_DIR:-$(ccache -k cache_dir 2>/dev/null || true)}
	VERSION=$(dpkg-parsechangelog -l "$REPO/debian/changelog" -S Version)
	PREV=$VERSION~prev
	export VERSION PREV MIRROR DEBS BUILD_DIR CCACHE_DIR
	root_path
}

# lock_root: this suite's clean root and package cache held (one user at once).
lock_root() {
	mkdir -p "$CACHE/lock"
	exec 9>"$CACHE/lock/$SUITE-clean.lock"
	flock -w 3600 9 || unavailable "$CACHE/lock/$SUITE-clean.lock held for an hour"
}

# phase_build: the packages, their contents and lintian, and the previous version.
phase_build() {
	step build build new || return 1
	step contents contents || true
	step lintian lint || true
	step build-previous previous || true
}

# phase_root: the clean root made (or found in the cache), counted.
phase_root() {
	local t0=$SECONDS
	# A subshell: make_root's failure must not end this script before it is recorded.
	make_root >"$OUT/root.log" 2>&1 </dev/null &
	wait $! || unavailable "no clean $SUITE root from $MIRROR: $(tail -n1 "$OUT/root.log")" root
	record root OK $((SECONDS - t0)) "$(tail -n1 "$OUT/root.log")"
}

# phase_install: in overlays of the clean root, install and the autopkgtests; upgrade and purge.
phase_install() {
	[ -d "$OUT/debs/new" ] || { record install FAIL 0 "no packages built" && return 1; }
	# The autopkgtests need the tree (debian/tests) of the version under test.
	export_tree
	export ROOT
	overlay install scenario_install
	if [ -d "$OUT/debs/prev" ]; then overlay upgrade scenario_upgrade_purge; fi
}

failed() { grep -q '"result":"FAIL"' "$LOG"; }

# main [PHASE] [--out DIR]: every phase in turn (no PHASE), or one of them. CI runs build (no
# root needed) while other work goes on, and root and install afterwards; `root` alone makes
# the clean root ahead of time. Phases after build add to its test log.
main() {
	local phase=all
	case ${1:-} in build | root | install) phase=$1 && shift ;; esac
	setup "$@"
	case $phase in
	all | build) rm -rf "${OUT:?}"/* ;;
	# Ahead of time only: its failure is counted when the install phase makes the root again.
	root) trap - EXIT ;;
	esac
	lock_root
	case $phase in
	all)
		phase_build || return 1
		phase_root
		phase_install
		;;
	build) phase_build ;;
	root) make_root ;;
	install)
		phase_root
		phase_install
		;;
	esac
	if failed; then return 1; fi
}

# export_tree: a clean tree of HEAD (committed files only) in BUILD_DIR/src/luksfit.
export_tree() {
	rm -rf "$BUILD_DIR/src"
	mkdir -p "$BUILD_DIR/src/luksfit"
	git -C "$REPO" archive HEAD | tar -x -C "$BUILD_DIR/src/luksfit"
}

case ${1:-} in
__run)
	shift
	"$@"
	;;
__stage)
	shift
	stage "$@"
	;;
__use)
	M=$2
	use
	;;
*)
	main "$@"
	exit 0
	;;
esac
