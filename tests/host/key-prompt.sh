#!/usr/bin/env bash
# The passphrase prompt on a real pseudo-terminal (pty_prompt.py plays the shell): an
# over-long line is refused and nothing of it stays queued for the next program; SIGINT,
# SIGTERM, SIGHUP and SIGQUIT at the prompt restore echo and end the process by the signal,
# SIGQUIT without a core dump (the process is non-dumpable while it waits: checked in /proc
# under another uid); SIGTSTP stops it with echo on, and after SIGCONT it asks again.
. "$(dirname "$0")/lib.sh"
need_cmd python3 setpriv
PTY="$(dirname "$0")/pty_prompt.py"
FAST=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
export TMPDIR="$WORKDIR/tmp"
mkdir -p "$TMPDIR"

# A fresh image per scenario; format prompts after validating, as cryptsetup does.
n=0
prompt() { # prompt MODE [PREFIX...]: runs luksfit format at the prompt in MODE
	local mode=$1
	shift
	n=$((n + 1))
	local dir="$WORKDIR/s$n"
	mkdir -p "$dir"
	chmod 777 "$dir" # a core file would be written here, also under another uid
	"$LUKSFIT" image create "$dir/vol.img" --size 64M >/dev/null
	set +e
	python3 "$PTY" "$mode" "$dir" -- "$@" "$LUKSFIT" format "$dir/vol.img" --yes "${FAST[@]}" \
		>"$WORKDIR/pty.out" 2>&1
	local rc=$?
	set -e
	sed 's/^/  /' "$WORKDIR/pty.out"
	check "pty $mode: every expectation held" test "$rc" -eq 0
}

prompt overlong
for sig in INT TERM HUP; do prompt "signal:$sig"; done
# Under uid 65534 with the capabilities format needs, so that /proc shows dumpability. The
# lock folder must be root's (as a root format makes it), or that format refuses it.
# shellcheck disable=SC2174  # /run exists: -m applies to luksfit/, the one folder made
mkdir -p -m 0700 /run/luksfit
caps=+dac_override,+dac_read_search,+fowner,+chown,+sys_admin
prompt signal:QUIT setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps="$caps" --ambient-caps="$caps" --
prompt tstp
check "no test image left in TMPDIR" test -z "$(ls -A "$TMPDIR")"
finish
