# shellcheck shell=sh
# bench-no-dmcrypt: device-mapper without the crypt target. auto falls back to AF_ALG and
# measures; --engine dmcrypt exits 7 with the reason; nothing is left behind.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "setup"
expect_failure modprobe dm_crypt
expect_success modprobe dm_mod
before=$(dmsetup ls 2>&1; losetup -a)

step "--engine dmcrypt: exit 7"
expect_status 7 luksfit bench --engine dmcrypt --time-budget 5
assert_contains "$OUT" "dm-crypt could set up none of the candidates" "bench --engine dmcrypt"

step "--engine auto: falls back to afalg"
expect_success luksfit --json bench --time-budget 10 --sample-ms 30
assert_contains "$OUT" '"engine": "afalg"' "bench auto engine"
assert_eq "$(printf '%s\n' "$OUT" | grep -c '"available": true')" 6 "candidates measured"

step "nothing left behind"
assert_eq "$(dmsetup ls 2>&1; losetup -a)" "$before" "devices after bench"
