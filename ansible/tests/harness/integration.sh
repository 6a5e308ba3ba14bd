#!/usr/bin/env bash
# The collection, built and installed, run by ansible-playbook (connection local) against image
# files and a loop device with the real luksfit: facts, format, idempotency, check mode (byte for
# byte), refusal, drift, harden, crypttab, exit codes; the passphrase in no output (-vvv) and in
# no luksfit command line (a wrapper logs every argv).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq cmp losetup mkfs.ext4
install_collection
PLAYS="$LUKSFIT_SOURCE_ROOT/ansible/tests/playbooks"
W="$WORKDIR/w"
mkdir -p "$W/tmp" "$WORKDIR/bin"
export TMPDIR="$W/tmp"
PASS="itest-$RANDOM$RANDOM-passphrase"

# Every luksfit the modules run goes through this wrapper, which logs its command line.
cat >"$WORKDIR/bin/luksfit" <<WRAP
#!/bin/sh
printf '%s\n' "\$*" >>"$WORKDIR/argv.log"
exec "$LUKSFIT" "\$@"
WRAP
chmod +x "$WORKDIR/bin/luksfit"

fast=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file - --yes)
for img in blank fs other at-risk provision loop; do
	"$LUKSFIT" image create "$W/$img.img" --size 32M >/dev/null
done
mkfs.ext4 -q "$W/fs.img"
printf %s "$PASS" | "$LUKSFIT" format "$W/other.img" --key-size 256 --sector-size 512 "${fast[@]}" \
	>/dev/null 2>&1
printf %s "$PASS" | "$LUKSFIT" format "$W/at-risk.img" "${fast[@]}" >/dev/null 2>&1
/usr/bin/python3 "$(dirname "$0")/at-risk-header.py" "$W/at-risk.img"
for img in blank fs other at-risk provision; do cp --sparse=always "$W/$img.img" "$W/$img.orig"; done
printf 'loop-device-key' >"$W/keyfile"
chmod 600 "$W/keyfile"
loopdev=$(losetup --find --show "$W/loop.img")
on_cleanup "losetup -d '$loopdev'"
printf '# <target> <source> <keyfile> <options>\n' >"$W/crypttab"

jq -n --arg p "$PASS" --arg w "$W" --arg l "$WORKDIR/bin/luksfit" --arg d "$loopdev" \
	--arg v "$("$LUKSFIT" check --json | jq -r .verdict)" \
	--arg r "$("$LUKSFIT" --version --json | jq -r .luksfit)" \
	'{passphrase: $p, work: $w, luksfit: $l, loopdev: $d, expected_verdict: $v,
	  expected_version: $r}' >"$WORKDIR/vars.json"

# playbook NAME ARGS...: ansible-playbook, output in WORKDIR/NAME.log, exit status in RC.
playbook() {
	local name=$1
	shift
	set +e
	ansible-playbook -e "@$WORKDIR/vars.json" "$@" >"$WORKDIR/$name.log" 2>&1
	RC=$?
	set -e
	OUT=$(tail -25 "$WORKDIR/$name.log")
}

playbook volume "$PLAYS/volume.yml"
check "volume.yml: every assertion holds (exit $RC)" test "$RC" -eq 0
check "volume.yml: no task failed unexpectedly" test "$(recap localhost failed "$WORKDIR/volume.log")" = 0
check "volume.yml: the 5 expected failures were luksfit's" \
	test "$(recap localhost ignored "$WORKDIR/volume.log")" = 5

playbook check "$PLAYS/provision.yml" --check --diff
check "provision --check: would change (exit $RC)" test "$RC" -eq 0 -a "$(recap localhost changed "$WORKDIR/check.log")" = 1
check "provision --check: the plan is shown" grep -q '^+cipher: aes-xts-plain64' "$WORKDIR/check.log"
check "provision --check: the image is unchanged, byte for byte" cmp "$W/provision.img" "$W/provision.orig"
check "provision --check: no crypttab written" test ! -e "$W/crypttab-provision"
playbook vvv "$PLAYS/provision.yml" -vvv
check "provision -vvv: formats (exit $RC)" test "$RC" -eq 0 -a "$(recap localhost changed "$WORKDIR/vvv.log")" = 1
check "provision -vvv: the module's arguments are printed, the passphrase masked" \
	grep -q '"passphrase": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"' "$WORKDIR/vvv.log"
playbook again "$PLAYS/provision.yml"
check "provision again: changed=0 (exit $RC)" test "$RC" -eq 0 -a "$(recap localhost changed "$WORKDIR/again.log")" = 0
check "provision: one crypttab line" test "$(grep -c ' UUID=' "$W/crypttab-provision")" -eq 1

check "the passphrase is in no ansible output (-vvv included)" \
	sh -c "! grep -qF -- '$PASS' '$WORKDIR'/*.log"
check "luksfit ran (argv logged)" test -s "$WORKDIR/argv.log"
check "the passphrase is on no luksfit command line" sh -c "! grep -qF -- '$PASS' '$WORKDIR/argv.log'"
check "every key went by stdin or key file" sh -c "! grep -E -- '--key-file +[^-/]' '$WORKDIR/argv.log'"
check "no validation image left behind" test -z "$(ls -A "$W/tmp")"
finish
