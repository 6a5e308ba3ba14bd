# shellcheck shell=sh
# bench-no-afalg: a kernel without AF_ALG. auto picks the dmcrypt engine and measures; the
# afalg engine refuses with exit 7, naming AF_ALG.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "setup"
expect_success modprobe dm_crypt
before=$(dmsetup ls 2>&1; losetup -a)

step "--engine afalg: exit 7, AF_ALG named"
expect_status 7 luksfit bench --engine afalg
assert_contains "$OUT" "AF_ALG is missing" "bench --engine afalg"

step "--engine auto: dmcrypt measures every default candidate"
expect_success luksfit --json bench --time-budget 25 --sample-ms 100
assert_contains "$OUT" '"engine": "dmcrypt"' "bench auto engine"
assert_eq "$(printf '%s\n' "$OUT" | grep -c '"available": true')" 6 "candidates measured"
assert_line "$OUT" '"winner": "[a-z0-9,-]+/[0-9]+"' "bench winner"

step "recommend measures with dmcrypt and keeps keyslots unlockable without AF_ALG"
expect_success luksfit recommend --time-budget 15 --sample-ms 100
assert_contains "$OUT" "based on: measured now with the dmcrypt engine" "recommend basis"
assert_line "$OUT" '^  cryptsetup luksFormat ' "recommend luksFormat line"
case $OUT in
    *"cipher:       aes-xts"*) ok "AES-XTS: userspace keyslots" ;;
    *) assert_contains "$OUT" "--keyslot-cipher aes-xts-plain64" "kernel-only cipher: keyslot fallback" ;;
esac

step "nothing left behind"
assert_eq "$(dmsetup ls 2>&1; losetup -a)" "$before" "devices after bench"
