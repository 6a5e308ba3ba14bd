#!/usr/bin/env bash
# luksfit check on this host, whatever it has: each fact the report states is compared with an
# independent probe of the same fact (a socket(AF_ALG) from python3, /proc/devices, modinfo,
# the kernel config read with zcat, keyslot formats with the cryptsetup CLI), the verdict and
# exit code with the findings, as root and unprivileged, and within a second.
. "$(dirname "$0")/lib.sh"
need_cmd jq cryptsetup python3 modinfo

# Independent probes.
if python3 -c 'import socket; socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET)' 2>/dev/null; then
	afalg=true
else
	afalg=false
fi
# device-mapper registered: a block major named device-mapper in /proc/devices.
if sed -n '/^Block devices:/,$p' /proc/devices | grep -qw device-mapper; then
	dm=true
else
	dm=false
fi
# Usable at all: registered, or a module (or built in) that modprobe could load.
dm_usable=$dm
modinfo -k "$(uname -r)" dm_mod >/dev/null 2>&1 && dm_usable=true
echo "independent probes: AF_ALG $afalg, device-mapper registered $dm, usable $dm_usable"

run "$LUKSFIT" check --json
cp "$WORKDIR/out" "$WORKDIR/check.json"
expect_json "check --json" '.schema == 1 and .ok == true and .command == "check"'
expect_json "AF_ALG as python3's socket(AF_ALG) found it" ".host.afalg.available == $afalg"
expect_json "device-mapper as /proc/devices lists it" ".host.dm.device_mapper == $dm"
expect_json "afalg-missing finding iff no AF_ALG" \
	"([.host.findings[].id] | index(\"afalg-missing\") != null) == ($afalg | not)"
expect_json "dm-missing error iff device-mapper is not usable" \
	"([.host.findings[] | select(.severity == \"error\") | .id] | index(\"dm-missing\") != null) == ($dm_usable | not)"
expect_json "every finding has a remedy" '[.host.findings[] | .remedy | length > 0] | all'
expect_json "kernel release as uname -r" '.host.kernel.release == "'"$(uname -r)"'"'
expect_json "loop" '.host.loop == "yes" or .host.loop == "unknown"'
peer=$(cryptsetup --version | awk '{print $2}')
expect_json "libcryptsetup as cryptsetup --version" \
	".host.libcryptsetup == \"$peer\" and .host.libcryptsetup_source == \"runtime\""

# The verdict follows the worst finding; the exit code the verdict (7: unsupported).
worst=$(jq -r '[.host.findings[].severity] | if index("error") then "unsupported"
	elif index("warning") then "degraded" else "ready" end' "$WORKDIR/check.json")
verdict=$(jq -r .verdict "$WORKDIR/check.json")
check "verdict ($verdict) follows the worst finding ($worst)" test "$verdict" = "$worst"
expect_json "host verdict" ".host.verdict == \"$verdict\""
code=0
[ "$verdict" = unsupported ] && code=7
expect_rc "check --json" "$code"
strict_code=$code
[ "$verdict" = degraded ] && strict_code=7
run "$LUKSFIT" check --strict --json
expect_rc "check --strict ($verdict)" "$strict_code"

run "$LUKSFIT" check
expect_rc "check" "$code"
expect_out "check" "Verdict: $verdict"
expect_out "check" "kernel            $(uname -r)"
expect_out "check" "libcryptsetup     $peer (reported by the library at run time)"
if [ "$afalg" = false ]; then
	expect_out "check" "AF_ALG is not available"
else
	check "check: no AF_ALG finding" not_in_out "AF_ALG is not available"
fi
if [ "$dm_usable" = false ]; then
	expect_out "check" "device-mapper is not available"
else
	check "check: no device-mapper finding" not_in_out "device-mapper is not available"
fi

# The kernel config options the report shows, as the config file has them.
config=$(jq -r '.host.kernel.config_source // empty' "$WORKDIR/check.json")
case $config in
*.gz) read_config() { zcat "$config"; } ;;
/*) read_config() { cat "$config"; } ;;
*) read_config() { return 1; } ;;
esac
if read_config >"$WORKDIR/config" 2>/dev/null; then
	cp "$WORKDIR/check.json" "$WORKDIR/out" # expect_json reads out
	for opt in $(jq -r '.host.kernel.config | keys[]' "$WORKDIR/check.json"); do
		case $(sed -n "s/^$opt=//p; s/^# $opt is not set$/n/p" "$WORKDIR/config") in
		y) want=builtin ;;
		m) want=module ;;
		*) want=not-set ;;
		esac
		expect_json "$opt as $config has it" ".host.kernel.config.$opt == \"$want\""
	done
else
	echo "note: no kernel config readable here (${config:-none reported}); options not compared"
fi

# A keyslot without AF_ALG: on a host without AF_ALG, the cryptsetup CLI formatting a header
# with that keyslot cipher is the independent answer (with AF_ALG it would use the kernel).
# cryptsetup_keyslot CIPHER KEYBITS: yes when cryptsetup formats a LUKS2 header with it.
cryptsetup_keyslot() {
	local img="$WORKDIR/ks.img"
	truncate -s 32M "$img"
	printf 'luksfit-test' | cryptsetup luksFormat --batch-mode --type luks2 --cipher "$1" \
		--key-size "$2" --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file - "$img" \
		>/dev/null 2>&1 && echo yes || echo no
	rm -f "$img"
}
if [ "$afalg" = false ]; then
	while read -r cipher bits said; do
		want=$(cryptsetup_keyslot "$cipher" "$bits")
		check "keyslot $cipher/$bits without AF_ALG: $said, cryptsetup: $want" test "$said" = "$want"
	done < <(jq -r '.host.candidates[] | "\(.cipher) \(.key_bits) \(.keyslot_without_afalg)"' \
		"$WORKDIR/check.json")
else
	echo "note: this host has AF_ALG; keyslots without it are not compared with cryptsetup"
fi

# Per-keyslot unlock predictions on volumes made here with cryptsetup (key on stdin, never in
# argv): the keyslot's path is how libcryptsetup processes it, "opens" also needs dm-crypt for
# the data segment. On a host without device-mapper every volume reads opens=false.
fmt() { # fmt IMAGE cryptsetup-options...: a 32 MiB image formatted with the test key
	local img=$1
	shift
	truncate -s 32M "$img"
	printf 'luksfit-test' | cryptsetup luksFormat --batch-mode --pbkdf pbkdf2 \
		--pbkdf-force-iterations 1000 --key-file - "$@" "$img" >/dev/null 2>&1
}
fmt "$WORKDIR/xts.img" --type luks2 --cipher aes-xts-plain64 --key-size 512
fmt "$WORKDIR/luks1.img" --type luks1 --cipher aes-cbc-essiv:sha256 --key-size 256
# A serpent keyslot on an aes data segment: formatted with aes keyslots, then the keyslot's
# encryption rewritten in the JSON (its area is not re-encrypted: only the prediction counts).
fmt "$WORKDIR/serpent.img" --type luks2 --cipher aes-cbc-essiv:sha256 --key-size 256 \
	--keyslot-cipher aes-xts-plain64 --keyslot-key-size 512
python3 "$(dirname "$0")/luks-craft.py" "$WORKDIR/serpent.img" \
	'json:"encryption":"aes-xts-plain64"' '"encryption":"serpent-xts-plain64"'
run "$LUKSFIT" check --json "$WORKDIR/xts.img" "$WORKDIR/luks1.img" "$WORKDIR/serpent.img"
expect_rc "check --json VOLUMES" 0
if [ "$dm_usable" = false ]; then opens='. == false'; else opens='(. == true or . == null)'; fi
serpent=$(jq -r '.host.candidates[] | select(.cipher == "serpent-xts-plain64" and .key_bits == 512)
	| .keyslot_without_afalg' "$WORKDIR/out")
for i in 0 1; do
	for mode in unlock unlock_without_afalg; do
		expect_json "volume $i keyslot 0 $mode: userspace path" \
			".volumes[$i].keyslots[0].$mode.path == \"userspace\""
		expect_json "volume $i keyslot 0 $mode: opens" ".volumes[$i].keyslots[0].$mode.opens | $opens"
	done
	expect_json "volume $i: nothing at risk" ".volumes[$i].keyslots_at_risk == []"
done
if [ "$dm_usable" = false ]; then
	expect_json "no dm-crypt: said why" \
		'.volumes[0].keyslots[0].unlock.why | contains("data segment cannot be activated")'
fi
if [ "$afalg" = false ] && [ "$serpent" = no ]; then
	expect_json "serpent keyslot: no path without AF_ALG" \
		'.volumes[2].keyslots[0].unlock.path == null and .volumes[2].keyslots[0].unlock.opens == false'
	expect_json "serpent keyslot: at risk" '.volumes[2].keyslots_at_risk == [0]'
	expect_json "serpent keyslot: the error finding" \
		'[.volumes[2].findings[] | select(.id == "keyslot-needs-afalg") | .severity] == ["error"]'
fi
run "$LUKSFIT" check "$WORKDIR/xts.img"
expect_out "check VOLUME" "unlock"
if [ "$dm_usable" = false ]; then
	expect_out "check VOLUME" "does not open: libcryptsetup"
fi

# Time: printed, not judged (a speed target belongs in a benchmark; a sanitized -O0 build
# takes twice the CPU of a release one). The wall time only has to stay clear of the probes'
# timeouts, past which facts would turn "unknown".
need_cmd /usr/bin/time
/usr/bin/time -f '%e %U %S' -o "$WORKDIR/time" "$LUKSFIT" check >/dev/null 2>&1 || true
read -r wall user sys < <(tail -n 1 "$WORKDIR/time") # after "Command exited with non-zero status 7"
cpu_ms=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
wall_ms=$(awk -v w="$wall" 'BEGIN { printf "%d", w * 1000 }')
echo "check took ${wall_ms} ms wall, ${cpu_ms} ms CPU"
check "check finishes in under 5000 ms wall (took $wall_ms)" test "$wall_ms" -lt 5000

# Unprivileged: root-only facts become "unknown", never a failure; the same verdict and the
# same keyslot answers.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	keyslots=$(jq -c '[.host.candidates[].keyslot_without_afalg]' "$WORKDIR/check.json")
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$LUKSFIT" check --json
	expect_rc "check as nobody" "$code"
	expect_json "check as nobody" ".verdict == \"$verdict\""
	expect_json "check as nobody: keyslots" "[.host.candidates[].keyslot_without_afalg] == $keyslots"
	expect_no_err "check as nobody"
fi

finish
