# shellcheck shell=sh
# bench-stock: AF_ALG and dm-crypt present. Both bench engines measure every default
# candidate and agree on which exist; recommend picks a policy-allowed cipher; bench leaves no
# dm mapping, loop device or RAM device behind, also when interrupted with SIGINT.
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
assert_line "$OUT" '"driver": "xts-aes-aesni"' "afalg: AES-NI driver served aes-xts"
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

step "SIGINT during a dmcrypt bench: cleanup runs, the signal is re-raised"
luksfit bench --engine dmcrypt --time-budget 60 --sample-ms 200 >/tmp/int.out 2>&1 &
pid=$!
wait_for_bench_mapping $pid
wait_for_bench_io $pid
interrupt_expecting_130 $pid /tmp/int.out bench
assert_eq "$(leftovers)" "$before" "devices after SIGINT"
