#!/usr/bin/env bash
# luksfit check on this host: no AF_ALG and no device-mapper (FACTS.md), so the report must say
# so, with the unsupported verdict (exit 7), as root and unprivileged, and within a second.
. "$(dirname "$0")/lib.sh"
need_cmd jq cryptsetup

grep -qw device-mapper /proc/misc && skip "this host has device-mapper; the test expects the build host (FACTS.md)"

run "$LUKSFIT" check
expect_rc "check" 7
expect_out "check" "Verdict: unsupported"
expect_out "check" "AF_ALG is not available"
expect_out "check" "device-mapper is not available"
expect_out "check" "kernel            $(uname -r)"
expect_out "check" "libcryptsetup     $(cryptsetup --version | awk '{print $2}') (reported by the library at run time)"

run "$LUKSFIT" check --json
expect_rc "check --json" 7
expect_json "check --json" '.schema == 1 and .ok == true and .command == "check"'
expect_json "check --json" '.verdict == "unsupported" and .host.verdict == "unsupported"'
expect_json "check --json" '.host.afalg.available == false'
expect_json "check --json" '.host.dm.device_mapper == false and .host.dm.dm_crypt == "no"'
expect_json "check --json" "[.host.findings[] | select(.severity == \"error\") | .id] | index(\"dm-missing\") != null"
expect_json "check --json" '[.host.findings[] | .remedy | length > 0] | all'
expect_json "check --json" '.host.kernel.release == "'"$(uname -r)"'"'
expect_json "check --json" '.host.loop == "yes" or .host.loop == "unknown"'
peer=$(cryptsetup --version | awk '{print $2}')
expect_json "check --json" ".host.libcryptsetup == \"$peer\" and .host.libcryptsetup_source == \"runtime\""
# Found by trying in a child without AF_ALG: the userspace backend has AES-XTS, not the others.
expect_json "check --json" '[.host.candidates[] | select(.cipher == "aes-xts-plain64") | .keyslot_without_afalg] == ["yes","yes"]'
expect_json "check --json" '[.host.candidates[] | select(.cipher | test("adiantum|serpent|twofish")) | .keyslot_without_afalg] | all(. == "no")'
expect_json "check --json" '.host.candidates[2].keyslot_detail | test("Cannot use xchacha12,aes-adiantum-plain64 cipher for keyslot encryption")'
if [ -r /proc/config.gz ] || [ -r "/boot/config-$(uname -r)" ]; then
	expect_json "check --json" '.host.kernel.config.CONFIG_CRYPTO_USER_API_SKCIPHER == "not-set"'
fi

# --strict does not change an unsupported verdict; the exit code follows the verdict.
run "$LUKSFIT" check --strict --json
expect_rc "check --strict" 7

# Fast: well under a second. CPU time (user+sys, the forked probes included) is what luksfit
# controls; wall time also depends on the load of this shared 2-core machine, so it only has
# to stay clear of the probes' timeouts.
need_cmd /usr/bin/time
/usr/bin/time -f '%e %U %S' -o "$WORKDIR/time" "$LUKSFIT" check >/dev/null 2>&1 || true
read -r wall user sys < <(tail -n 1 "$WORKDIR/time") # after "Command exited with non-zero status 7"
cpu_ms=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
wall_ms=$(awk -v w="$wall" 'BEGIN { printf "%d", w * 1000 }')
echo "check took ${wall_ms} ms wall, ${cpu_ms} ms CPU"
check "check uses under 1000 ms of CPU (used $cpu_ms)" test "$cpu_ms" -lt 1000
check "check finishes in under 5000 ms wall (took $wall_ms)" test "$wall_ms" -lt 5000

# Unprivileged: root-only facts become "unknown", never a failure, same verdict.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$LUKSFIT" check --json
	expect_rc "check as nobody" 7
	expect_json "check as nobody" '.verdict == "unsupported"'
	expect_json "check as nobody" '[.host.candidates[] | select(.cipher == "aes-xts-plain64") | .keyslot_without_afalg] == ["yes","yes"]'
	expect_no_err "check as nobody"
fi

finish
