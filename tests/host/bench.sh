#!/usr/bin/env bash
# bench and recommend on this host, which has neither AF_ALG nor dm-crypt: bench refuses with
# exit 7 naming both; recommend says what its choice is based on (nothing measured, or a
# cached result: a real capture from the kernel lab, re-keyed to this host); a cache with an
# impossible date, over the size limit or a FIFO is not used, and the last two say so.
. "$(dirname "$0")/lib.sh"
need_cmd jq

fixture="$LUKSFIT_SOURCE_ROOT/tests/fixtures/bench/lab-6.1.0-56-stock.json"
afalg_here=$(python3 -c 'import socket
try:
    socket.socket(38, socket.SOCK_SEQPACKET); print(1)
except OSError: print(0)')
[ "$afalg_here" = 0 ] || skip "this host has AF_ALG; the test is about a host without it"
! grep -q ' device-mapper$' /proc/devices || skip "this host has device-mapper"

run "$LUKSFIT" bench
expect_rc "bench" 7
expect_err "bench" "cannot measure here"
expect_err "bench" "AF_ALG is missing"
expect_err "bench" "dm-crypt"
expect_err "bench" "hint: "
expect_no_out "bench"

run "$LUKSFIT" --json bench
expect_rc "bench --json" 7
expect_json "bench --json" '.ok == false and .error.exit_code == 7 and .error.kind == "unsupported"'
expect_json "bench --json" '.error.message | test("AF_ALG") and test("dm-crypt")'

run "$LUKSFIT" bench --engine afalg
expect_rc "bench --engine afalg" 7
expect_err "bench --engine afalg" "AF_ALG is missing"

if [ "$(id -u)" -eq 0 ]; then
	run "$LUKSFIT" bench --engine dmcrypt
	expect_rc "bench --engine dmcrypt" 7
	expect_err "bench --engine dmcrypt" "dm-crypt is missing"
fi

run "$LUKSFIT" bench --engine nonsense
expect_rc "bench --engine nonsense" 1
run "$LUKSFIT" bench --cipher aes-xts-plain64 --key-size 512 --key-size 256 --cipher aes-ecb --cipher x
expect_rc "bench: 3 --cipher, 2 --key-size" 1
expect_err "bench: 3 --cipher, 2 --key-size" "--key-size given 2 times for 3 --cipher"

# No cache, nothing measurable: the policy order, and the output says so.
run "$LUKSFIT" recommend --cache "$WORKDIR/none.json"
expect_rc "recommend, nothing measured" 0
expect_out "recommend, nothing measured" "based on: no measurements: AF_ALG is missing"
expect_out "recommend, nothing measured" "dm-crypt is missing"
expect_out "recommend, nothing measured" "policy's preference order alone"
expect_out "recommend, nothing measured" "cipher:       aes-xts-plain64/512"
expect_out "recommend, nothing measured" "cryptsetup luksFormat --type luks2 --cipher aes-xts-plain64 --key-size 512 --sector-size 4096"

# The lab capture as it is: another kernel and CPU, so not used, and the output says why.
run "$LUKSFIT" --json recommend --cache "$fixture"
expect_rc "recommend, foreign cache" 0
expect_json "recommend, foreign cache" '.basis | test("no measurements") and test("measured under another kernel release")'
expect_json "recommend, foreign cache" '.choice.label == "aes-xts-plain64/512"'

# The same figures keyed to this host and dated now: used, and named as the basis.
rekey_bench_cache "$fixture" "$WORKDIR/cache.json"
run "$LUKSFIT" recommend --cache "$WORKDIR/cache.json"
expect_rc "recommend, cached" 0
expect_out "recommend, cached" "based on: cached dmcrypt measurements of"
expect_out "recommend, cached" "from $WORKDIR/cache.json"
expect_out "recommend, cached" "other candidates:"
run "$LUKSFIT" --json recommend --cache "$WORKDIR/cache.json"
expect_json "recommend --json, cached" '.basis | test("^cached dmcrypt measurements")'
expect_json "recommend --json, cached" '(.others | length) == 5 and all(.others[]; .reason != "")'
expect_json "recommend --json, cached" '.luks_format | startswith("cryptsetup luksFormat --type luks2 --cipher ")'
expect_json "recommend --json, cached" '.crypttab_options | startswith("luks")'
# The choice is the one the figures give: recompute the winner independently (fastest median
# of the harmonic mean of encrypt/decrypt), allowing for ties broken by policy order.
best=$(jq -r '[.reports[] | select(.engine == "dmcrypt") | .candidates[]
	| {l: "\(.cipher)/\(.key_size)", s: ([.samples.encrypt, .samples.decrypt] | transpose
	| map(2 / (1 / .[0] + 1 / .[1])) | sort | .[(length / 2 | floor)])}] | max_by(.s) | .l' \
	"$WORKDIR/cache.json")
# shellcheck disable=SC2016  # $b is jq's variable
check "recommend choice is the fastest ($best) or tied with it" \
	jq -e --arg b "$best" '.choice.label == $b or any(.others[]; .label == $b and .status == "tied")' "$WORKDIR/out"

# FIPS restricts the same figures to AES-XTS and PBKDF2.
run "$LUKSFIT" --json recommend --cache "$WORKDIR/cache.json" --fips
expect_json "recommend --fips" '.choice.cipher == "aes-xts-plain64" and .pbkdf.type == "pbkdf2"'
expect_json "recommend --fips" 'any(.others[]; .status == "unsafe" and (.reason | test("FIPS")))'

# Expired: a result older than a week is not used.
jq '.reports |= map(.created -= 8 * 86400)' "$WORKDIR/cache.json" >"$WORKDIR/old.json"
run "$LUKSFIT" --json recommend --cache "$WORKDIR/old.json"
expect_json "recommend, expired cache" '.basis | test("older than 7 days")'

# Dated INT64_MIN: its age overflowed (signed overflow) and it counted as fresh. Now such a
# result is unreadable, skipped; the recommendation does not rest on it.
sed -E 's/"created": [0-9]+/"created": -9223372036854775808/' "$WORKDIR/cache.json" \
	>"$WORKDIR/int64min.json"
check "INT64_MIN cache: the date is in the file" grep -q -- '-9223372036854775808' \
	"$WORKDIR/int64min.json"
run "$LUKSFIT" --json recommend --cache "$WORKDIR/int64min.json"
expect_rc "recommend, INT64_MIN date" 0
expect_json "recommend, INT64_MIN date" '.basis | test("^no measurements")'

# Over the 8 MiB limit: ignored with a warning naming the file and why (it was silent).
{ cat "$WORKDIR/cache.json"; head -c $((8 << 20)) /dev/zero | tr '\0' ' '; } >"$WORKDIR/big.json"
run "$LUKSFIT" --json recommend --cache "$WORKDIR/big.json"
expect_rc "recommend, oversized cache" 0
expect_err "recommend, oversized cache" \
	"luksfit: warning: bench cache $WORKDIR/big.json is larger than 8 MiB; ignored"
expect_json "recommend, oversized cache" '.basis | test("^no measurements")'

# A FIFO as cache: refused at once (no wait for a writer), with a warning.
mkfifo "$WORKDIR/cache.fifo"
run timeout 10 "$LUKSFIT" recommend --cache "$WORKDIR/cache.fifo"
expect_rc "recommend, FIFO cache" 0
expect_err "recommend, FIFO cache" "cache.fifo is a FIFO, not a regular file or block device"

finish
