# shellcheck shell=sh
# bench-stock: AF_ALG and dm-crypt present. Both bench engines measure every default
# candidate and agree on which exist; recommend picks a policy-allowed cipher, and format, open
# and crypttab apply the flags it chose from the measurements; bench leaves no dm mapping, loop
# device or RAM device behind, also when interrupted with SIGINT.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

# "label available" per candidate, from bench --json (pretty-printed: one key per line).
availability() {
    sed -n '/"candidates": \[/,/"variants"/p' "$1" | grep -E '^      "(label|available)"' | sed 's/^ *"[a-z]*": //; s/,$//' | paste - -
}
leftovers() {
    echo "dm: $(dmsetup ls 2>&1 | grep -v 'No devices found' || true)"
    echo "loop: $(losetup -a)"
    ls /sys/kernel/config/nullb 2>/dev/null || true
}

step "setup"
expect_success modprobe dm_crypt
before=$(leftovers)
echo "$before"

step "afalg engine: every default candidate has figures"
expect_success luksfit --json bench --engine afalg --time-budget 10 --sample-ms 30 \
    --save --cache /tmp/bench.json
printf '%s\n' "$OUT" > /tmp/afalg.json
assert_eq "$(grep -c '"available": true' /tmp/afalg.json)" 6 "afalg: candidates measured"
assert_eq "$(grep -c '"available": false' /tmp/afalg.json || true)" 0 "afalg: unavailable"
assert_line "$OUT" '"driver": "xts-aes-aesni[-a-z0-9]*"' "afalg: AES-NI driver served aes-xts"
assert_contains "$OUT" '"engine": "afalg"' "afalg json"

step "dmcrypt engine: every default candidate has figures"
expect_success luksfit --json bench --engine dmcrypt --time-budget 25 --sample-ms 100 \
    --save --cache /tmp/bench.json
printf '%s\n' "$OUT" > /tmp/dmcrypt.json
assert_eq "$(grep -c '"available": true' /tmp/dmcrypt.json)" 6 "dmcrypt: candidates measured"
assert_contains "$OUT" '"engine": "dmcrypt"' "dmcrypt json"
assert_contains "$OUT" '"label": "no_workqueue"' "dmcrypt variants"

step "both engines agree on which candidates exist"
a=$(availability /tmp/afalg.json)
d=$(availability /tmp/dmcrypt.json)
printf '%s\n' "$a"
assert_eq "$d" "$a" "availability per candidate"

step "no mapping, loop or RAM device left after bench"
assert_eq "$(leftovers)" "$before" "devices after bench"

step "recommend from the saved results picks a policy-allowed cipher"
expect_success luksfit recommend --cache /tmp/bench.json
assert_contains "$OUT" "based on: cached dmcrypt measurements" "recommend basis"
assert_line "$OUT" '^cipher: +(aes-xts-plain64/(512|256)|xchacha(12|20),aes-adiantum-plain64/256|(serpent|twofish)-xts-plain64/512)$' "recommend choice"
assert_line "$OUT" '^  cryptsetup luksFormat --type luks2 ' "recommend luksFormat line"
expect_success luksfit --json recommend --cache /tmp/bench.json --fips
assert_line "$OUT" '"label": "aes-xts-plain64/(512|256)"' "recommend --fips choice"
assert_contains "$OUT" '"type": "pbkdf2"' "recommend --fips pbkdf"

step "one decision on the flags: recommend, format, open and crypttab agree"
# KEY's string value and KEY's list (compacted) in $OUT's pretty-printed JSON.
json_str() { printf '%s\n' "$OUT" | sed -n "s/^ *\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" | head -n1; }
json_list() {
    printf '%s\n' "$OUT" | awk -v k="\"$1\": " 'index($0, k) { p = 1 } p { printf "%s", $0 } p && /\]/ { exit }' |
        tr -d ' ' | sed 's/^"[a-z_]*"://; s/,$//'
}
keyfile=/tmp/flags.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
loop=$(make_loop_file 48)
expect_success luksfit --json recommend --cache /tmp/bench.json
rec_flags=$(json_list perf_flags)
rec_reason=$(json_str flags_reason)
echo "recommend: $rec_flags ($rec_reason)"
assert_ne "$rec_reason" "" "recommend's flags reason"
assert_not_contains "$rec_reason" "not measured" "recommend: the flags were measured"
# shellcheck disable=SC2086
expect_success luksfit --json format --dry-run --cache /tmp/bench.json $LAB_FAST_PBKDF "$loop"
assert_eq "$(json_list perf_flags)" "$rec_flags" "format --dry-run: the flags"
assert_eq "$(json_str perf_flags_reason)" "$rec_reason" "format --dry-run: the reason"
# shellcheck disable=SC2086
expect_success luksfit format --yes --key-file "$keyfile" --cache /tmp/bench.json \
    $LAB_FAST_PBKDF "$loop"
stored=$(printf '%s' "$rec_flags" | tr -d '[]"' | tr ',_' ' -')
expect_success cryptsetup luksDump "$loop"
assert_line "$OUT" "^Flags:[[:space:]]+${stored:-\(no flags\)}[[:space:]]*\$" "luksDump: the flags stored"
expect_success luksfit --json open --key-file "$keyfile" --cache /tmp/bench.json "$loop" flagvol
assert_eq "$(json_list perf_flags)" "$rec_flags" "open: the flags"
assert_eq "$(json_str perf_flags_reason)" "$rec_reason" "open: the reason"
expect_success luksfit close flagvol
expect_success luksfit --json crypttab --cache /tmp/bench.json "$loop" flagvol
assert_eq "$(json_str flags_basis)" "$rec_reason" "crypttab: the reason"
back=$(losetup -nO BACK-FILE "$loop")
expect_success losetup -d "$loop"
rm -f "$back" "$keyfile"

step "SIGINT during a dmcrypt bench: cleanup runs, the signal is re-raised"
luksfit bench --engine dmcrypt --time-budget 60 --sample-ms 200 >/tmp/int.out 2>&1 &
pid=$!
wait_for_bench_mapping $pid
wait_for_bench_io $pid
interrupt_expecting_130 $pid /tmp/int.out bench
assert_eq "$(leftovers)" "$before" "devices after SIGINT"
