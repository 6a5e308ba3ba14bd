#!/usr/bin/env bash
# The fleet role on 20 hosts (local connection, each with its own image files, crypttab and
# bench cache) with Ansible's forks, against one host alone: wall times, the fleet summary, and
# the one host's second run, which changes nothing. Host 1's cache holds a kernel lab measurement keyed to this
# machine; the role copies it to the other hosts of the class, so all format with its choice.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_cmd jq
HOSTS=${FLEET_HOSTS:-20}
FORKS=${FLEET_FORKS:-10}
install_collection
printf 'fleet-%s-passphrase' "$RANDOM$RANDOM" >"$WORKDIR/passphrase"
PASS=$(cat "$WORKDIR/passphrase")
jq -n --arg p "$PASS" '{luksfit_fleet_passphrase: $p}' >"$WORKDIR/secret.json"

# host_dir NAME: images, crypttab and a validation folder for one host.
host_dir() {
	local d="$WORKDIR/hosts/$1"
	mkdir -p "$d/tmp"
	"$LUKSFIT" image create "$d/disk1.img" --size 32M >/dev/null
	"$LUKSFIT" image create "$d/disk2.img" --size 32M >/dev/null
	printf '# <target> <source> <keyfile> <options>\n' >"$d/crypttab"
}

# inventory FILE NAME...: YAML inventory, one local host per NAME.
inventory() {
	local out=$1 h d
	shift
	{
		printf 'all:\n  vars:\n    ansible_connection: local\n'
		printf '    luksfit_fleet_luksfit_path: %s\n' "$LUKSFIT"
		printf '    luksfit_fleet_pbkdf: {algorithm: pbkdf2, iteration_count: 1000}\n'
		printf '    luksfit_fleet_bench_time_budget: 5\n  hosts:\n'
		for h in "$@"; do
			d="$WORKDIR/hosts/$h"
			printf '    %s:\n      luksfit_fleet_cache: %s/bench.json\n' "$h" "$d"
			printf '      luksfit_fleet_crypttab_path: %s/crypttab\n' "$d"
			printf '      luksfit_fleet_validation_dir: %s/tmp\n' "$d"
			printf '      luksfit_fleet_initramfs_command: [touch, %s/initramfs-updated]\n' "$d"
			printf '      luksfit_fleet_disks:\n'
			printf '        - {device: %s/disk1.img, name: %s-a}\n' "$d" "$h"
			printf '        - {device: %s/disk2.img, name: %s-b}\n' "$d" "$h"
		done
	} >"$out"
}

# play NAME INVENTORY: the fleet playbook; its output in WORKDIR/NAME.log, its seconds in SECS.
play() {
	local start end
	start=$(date +%s.%N)
	set +e
	ansible-playbook luksfit.luksfit.fleet -i "$2" --forks "$FORKS" -e "@$WORKDIR/secret.json" \
		-e "luksfit_fleet_summary_file=$WORKDIR/$1.summary.json" >"$WORKDIR/$1.log" 2>&1
	RC=$?
	set -e
	end=$(date +%s.%N)
	SECS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
}

# jcheck WHAT JQ-EXPR FILE: the jq expression is true on FILE.
jcheck() { check "$1" sh -c "jq -e '$2' '$3' >/dev/null"; }

names=()
for i in $(seq 1 "$HOSTS"); do
	names+=("$(printf 'host%02d' "$i")")
	host_dir "${names[-1]}"
done
host_dir solo
rekey_bench_cache "$LUKSFIT_SOURCE_ROOT/tests/fixtures/bench/lab-6.1.0-56-stock.json" \
	"$WORKDIR/hosts/host01/bench.json"
cp "$WORKDIR/hosts/host01/bench.json" "$WORKDIR/hosts/solo/bench.json"
inventory "$WORKDIR/solo.yml" solo
inventory "$WORKDIR/fleet.yml" "${names[@]}"

play solo "$WORKDIR/solo.yml"
solo_secs=$SECS
check "one host: the play succeeds (exit $RC)" test "$RC" -eq 0
play fleet "$WORKDIR/fleet.yml"
fleet_secs=$SECS
check "fleet: the play succeeds (exit $RC)" test "$RC" -eq 0
[ "$RC" -eq 0 ] || tail -40 "$WORKDIR/fleet.log"

S="$WORKDIR/fleet.summary.json"
OUT=$(cat "$S" 2>/dev/null || true)
jcheck "summary: $HOSTS hosts, none failed" ".hosts == $HOSTS and .failed_hosts == []" "$S"
jcheck "summary: $((HOSTS * 2)) volumes formatted" ".formatted == $((HOSTS * 2))" "$S"
# The lab measurement's choice (aes-xts-plain64/256), not the policy default (512): every
# host used host01's cache, copied by the role.
jcheck "summary: every volume uses the shared measurement's choice" \
	".ciphers == {\"aes-xts-plain64/256\": $((HOSTS * 2))}" "$S"
jcheck "summary: one hardware class, no volume at risk, no drift" \
	'(.classes | length) == 1 and .at_risk == [] and .drift == []' "$S"
lines=0 stamps=0
for h in "${names[@]}"; do
	n=$(grep -c '^[^#].* UUID=.* none luks' "$WORKDIR/hosts/$h/crypttab" || true)
	lines=$((lines + n))
	[ -e "$WORKDIR/hosts/$h/initramfs-updated" ] && stamps=$((stamps + 1))
done
check "every host: two crypttab lines ($lines)" test "$lines" -eq $((HOSTS * 2))
check "every host: the initramfs command ran ($stamps)" test "$stamps" -eq "$HOSTS"

# The role again, on the one host (its idempotency; the fleet's would cost another fleet run).
rm -f "$WORKDIR"/hosts/*/initramfs-updated
play again "$WORKDIR/solo.yml"
again_secs=$SECS
check "one host again: succeeds (exit $RC)" test "$RC" -eq 0
changed=$(recap solo changed "$WORKDIR/again.log")
check "one host again: nothing changed (changed=${changed:-?})" test "${changed:-1}" -eq 0
[ "${changed:-1}" -eq 0 ] || grep -B3 '^changed:' "$WORKDIR/again.log" | head -20
jcheck "one host again: formats nothing" '.formatted == 0' "$WORKDIR/again.summary.json"
check "one host again: no initramfs rebuild" test ! -e "$WORKDIR/hosts/solo/initramfs-updated"
check "no validation image left behind" test -z "$(find "$WORKDIR"/hosts/*/tmp -mindepth 1)"
check "the passphrase is in no output" sh -c "! grep -rqF -- '$PASS' '$WORKDIR'/*.log '$WORKDIR'/*.summary.json"

echo "fleet summary:"
jq -c '{hosts, failed_hosts, verdicts, ciphers, classes, formatted, at_risk}' "$S" || true
echo "fleet timing: one host ${solo_secs} s; $HOSTS hosts with $FORKS forks ${fleet_secs} s;" \
	"one host again (no change) ${again_secs} s"
finish
