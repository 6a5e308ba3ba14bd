#!/usr/bin/env bash
# tools/debian-root.sh's mounts, in a small hand-made root (LUKSFIT_ROOT_DIR: no debootstrap):
# a command runs chrooted with /dev, /sys, /proc, /run and the repository mounted, and ends
# with none of them left, nor a process, after success, failure, SIGTERM and SIGINT.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare chroot findmnt pgrep ldd env sleep
: "${LUKSFIT_SOURCE_ROOT:?}"
tool=$LUKSFIT_SOURCE_ROOT/tools/debian-root.sh

# The root: env and sleep with their libraries, and the mount points.
root=$WORKDIR/root
mkdir -p "$root"/{dev,sys,proc,run,tmp,usr/bin}
for bin in "$(command -v env)" "$(command -v sleep)"; do
	cp "$bin" "$root/usr/bin/"
	for lib in $(ldd "$bin" | awk '$2 == "=>" {print $3} $1 ~ /^\// {print $1}'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
[ -e "$root/bin" ] || ln -s usr/bin "$root/bin"
export LUKSFIT_ROOT_DIR=$root LAB_CACHE=$WORKDIR/lab LUKSFIT_ROOTS=$WORKDIR/cache
droot() { "$tool" run trixie --out "$WORKDIR/build-out" "$@"; }

mounts_in_root() { findmnt -rn -o TARGET | awk -v d="$root" 'index($0, d) == 1' || true; }
# By identity, not by path: in a chroot (this suite in a Debian root) the kernel spells the
# root of a process in another mount namespace from that namespace's top, not ours.
procs_in_root() {
	local p
	for p in /proc/[0-9]*; do
		[ ! "$p/root" -ef "$root" ] || echo "${p#/proc/}"
	done
}
nothing_left() { # WHAT
	check "$1: says nothing is left" grep -qF "left behind under $root: no mount, process" \
		"$WORKDIR/err"
	check "$1: no mount under the root here" test -z "$(mounts_in_root)"
	check "$1: no process in the root" test -z "$(procs_in_root)"
}

run droot env
expect_rc "env" 0
expect_out "env" "PATH=/usr/sbin:/usr/bin:/sbin:/bin"
nothing_left "env"

# A failing command: its exit status comes through, and the cleanup still runs.
run droot sleep --no-such-option
expect_rc "failing command" 1
nothing_left "failing command"

# wait_chrooted: the PID of the sleep running in the root, once it is there (bounded wait).
wait_chrooted() {
	local i pid
	for i in $(seq 100); do
		pid=$(procs_in_root | head -n1)
		[ -n "$pid" ] && echo "$pid" && return 0
		sleep 0.1
	done
	return 1
}

# interrupted SIG TARGET: sleep 300 in the root, SIG sent to TARGET (pid: the tool only;
# group: all of it, like Ctrl-C); it must end within 20 s, clean.
interrupted() {
	local sig=$1 target=$2 pid inner t0 rc=0
	set -m # own process group, SIGINT not ignored (as in a terminal)
	# exec: $! is the tool itself, not a subshell waiting for it.
	(exec "$tool" run trixie --out "$WORKDIR/build-out" sleep 300 >"$WORKDIR/out" 2>"$WORKDIR/err") &
	pid=$!
	set +m
	on_cleanup "kill -KILL -- -$pid 2>/dev/null"
	inner=$(wait_chrooted) || inner=
	check "$sig: the command runs chrooted" test -n "$inner"
	# shellcheck disable=SC2016  # an awk program
	check "$sig: with /dev and /proc mounted in its namespace" awk '$5 == "/dev" {d = 1}
		$5 == "/proc" {p = 1} END {exit !(d && p)}' "/proc/$inner/mountinfo"
	check "$sig: none of its mounts in ours" test -z "$(mounts_in_root)"
	t0=$SECONDS
	if [ "$target" = group ]; then kill "-$sig" -- "-$pid"; else kill "-$sig" "$pid"; fi
	while kill -0 "$pid" 2>/dev/null && [ $((SECONDS - t0)) -le 20 ]; do sleep 0.1; done
	check "$sig to the $target: ended within 20 s" test "$(kill -0 "$pid" 2>/dev/null || echo gone)"
	kill -KILL -- "-$pid" 2>/dev/null || true # a tool that did not end, with all it started
	wait "$pid" || rc=$?
	RC=$rc
	expect_rc "$sig to the $target" "$3"
	nothing_left "$sig to the $target"
}
interrupted TERM pid 143
interrupted INT group 130

# mirror: the archive the roots come from, read from deb822 sources (comments between fields,
# -security listed too) as from one-line ones, and nothing (exit 0) when there is none.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
apt=$WORKDIR/apt
mkdir -p "$apt/sources.list.d"
printf '%s\n' 'Types: deb' '# a snapshot once' 'URIs: http://deb822.example/debian' \
	"Suites: $codename $codename-updates" '' 'Types: deb' 'URIs: http://sec.example/debian-security' \
	"Suites: $codename-security" >"$apt/sources.list.d/debian.sources"
run env LUKSFIT_APT_ETC="$apt" "$tool" mirror
expect_rc "mirror, deb822 only" 0
check "mirror, deb822 only: the release's archive" test "$(cat "$WORKDIR/out")" = http://deb822.example/debian
printf 'deb [arch=amd64] http://oneline.example/debian %s main\n' "$codename" >"$apt/sources.list"
run env LUKSFIT_APT_ETC="$apt" "$tool" mirror
check "mirror, both: the one-line source first" test "$(cat "$WORKDIR/out")" = http://oneline.example/debian
rm -r "$apt"/sources.list "$apt"/sources.list.d/*
run env LUKSFIT_APT_ETC="$apt" "$tool" mirror
expect_rc "mirror, no source" 0
check "mirror, no source: nothing" test ! -s "$WORKDIR/out"

finish
