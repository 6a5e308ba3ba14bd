#!/usr/bin/env bash
# Where format takes its cipher and key size from when none is given: recommend's choice from
# a matching, recent cached bench result (the lab capture, re-keyed to this host), else the
# policy default; an expired or other-host result is ignored with a note; explicit options
# still pass the safety policy; the sector size still follows the target.
. "$(dirname "$0")/lib.sh"
need_cmd jq sha256sum
FAST=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
fixture="$LUKSFIT_SOURCE_ROOT/tests/fixtures/bench/lab-6.1.0-56-stock.json"
export TMPDIR="$WORKDIR/tmp"
mkdir -p "$TMPDIR"

img="$WORKDIR/vol.img"
"$LUKSFIT" image create "$img" --size 64M >/dev/null
before=$(sha256sum <"$img")

# The capture keyed to this host and dated `$1` seconds ago.
rekey() {
	local version cpu
	version=$("$LUKSFIT" --version --json | jq -r .luksfit)
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
	jq --arg k "$(uname -r)" --arg c "${cpu:-unknown}" --arg v "$version" \
		--argjson t "$(($(date +%s) - $1))" \
		'.reports |= map(.kernel = $k | .cpu_model = $c | .luksfit_version = $v | .created = $t)' \
		"$fixture" >"$2"
}

# No cache at all: the policy default, and it says so.
run "$LUKSFIT" format "$img" --dry-run "${FAST[@]}" --cache "$WORKDIR/none.json"
expect_rc "no cache" 0
expect_out "no cache" "parameters:    policy default: no bench results cached for this host (cache $WORKDIR/none.json)"
expect_out "no cache" "cipher:        aes-xts-plain64/512"
run "$LUKSFIT" --json format "$img" --dry-run "${FAST[@]}" --cache "$WORKDIR/none.json"
expect_json "no cache, json" '.parameters_source.kind == "policy_default" and .parameters_source.cache == "'"$WORKDIR"'/none.json" and .parameters.cipher == "aes-xts-plain64" and .parameters.key_size == 512'

# A matching, recent cache: recommend's choice (computed by recommend itself), said so.
rekey 60 "$WORKDIR/cache.json"
created=$(jq '.reports[] | select(.engine == "dmcrypt") | .created' "$WORKDIR/cache.json")
want=$("$LUKSFIT" --json recommend --cache "$WORKDIR/cache.json" | jq -r .choice.label)
check "recommend picks from the cache" test -n "$want"
# In the capture dm-crypt ran aes-xts-plain64/256 far faster than /512: not the default.
check "the cached winner is not the policy default" test "$want" = "aes-xts-plain64/256"
run "$LUKSFIT" format "$img" --dry-run "${FAST[@]}" --cache "$WORKDIR/cache.json"
expect_rc "cached" 0
expect_out "cached" "parameters:    recommended from dmcrypt bench results of $(date -u -d "@$created" '+%Y-%m-%d %H:%M UTC') (cache $WORKDIR/cache.json)"
expect_out "cached" "cipher:        $want"
expect_out "cached" "cryptsetup luksFormat --type luks2 --cipher aes-xts-plain64 --key-size 256 --sector-size 4096"
run "$LUKSFIT" --json format "$img" --dry-run "${FAST[@]}" --cache "$WORKDIR/cache.json"
expect_json "cached, json" '.parameters_source.kind == "bench_cache" and .parameters_source.measured_at == '"$created"' and (.parameters.cipher + "/" + (.parameters.key_size | tostring)) == "'"$want"'"'

# The sector size still follows the target: a size that 4096 does not divide gets 512.
odd="$WORKDIR/odd.img"
truncate -s $((64 * 1024 * 1024 + 512)) "$odd"
run "$LUKSFIT" --json format "$odd" --dry-run "${FAST[@]}" --cache "$WORKDIR/cache.json"
expect_rc "cached, odd size" 0
expect_json "cached, odd size: cipher from the cache, sector from the target" '.parameters_source.kind == "bench_cache" and .parameters.key_size == 256 and .parameters.sector_size == 512'

# Expired: ignored, with a note saying why.
rekey $((8 * 24 * 3600)) "$WORKDIR/old.json"
run "$LUKSFIT" format "$img" --dry-run "${FAST[@]}" --cache "$WORKDIR/old.json"
expect_rc "expired cache" 0
expect_out "expired cache" "parameters:    policy default: no usable bench result for this host in cache $WORKDIR/old.json"
expect_out "expired cache" "older than 7 days"
expect_out "expired cache" "cipher:        aes-xts-plain64/512"

# Another host's results (the capture as it is: another kernel and CPU): ignored, noted.
run "$LUKSFIT" --json format "$img" --dry-run "${FAST[@]}" --cache "$fixture"
expect_rc "other-host cache" 0
expect_json "other-host cache" '.parameters_source.kind == "policy_default" and (.parameters_source.notes | join(" ") | test("measured under another kernel release")) and .parameters.key_size == 512'

# Explicit options win over the cache, and still pass the safety policy.
run "$LUKSFIT" --json format "$img" --dry-run "${FAST[@]}" --cache "$WORKDIR/cache.json" --key-size 512
expect_json "explicit --key-size" '.parameters_source.kind == "options" and .parameters.cipher == "aes-xts-plain64" and .parameters.key_size == 512'
run "$LUKSFIT" --json format "$img" --dry-run "${FAST[@]}" --cache "$WORKDIR/cache.json" --sector-size 512
expect_json "explicit --sector-size" '.parameters_source.kind == "options" and .parameters.sector_size == 512 and .parameters.key_size == 512'
run "$LUKSFIT" format "$img" --dry-run --cache "$WORKDIR/cache.json" --cipher aes-ecb --key-size 256
expect_rc "explicit unsafe cipher" 1
expect_err "explicit unsafe cipher" "ECB mode"

check "dry runs wrote nothing" test "$(sha256sum <"$img")" = "$before"
check "no test image left in TMPDIR" test -z "$(ls -A "$TMPDIR")"
finish
