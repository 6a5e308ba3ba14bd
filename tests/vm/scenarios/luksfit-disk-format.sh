# shellcheck shell=sh
# Story "luksfit-disk", boot 1 (stock): luksfit formats /dev/vda, opens it, writes a pattern.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"
step "fresh disk"
[ -b /dev/vda ] || fail "/dev/vda missing"
capture blkid -p /dev/vda
assert_ne "$RC" 0 "blkid -p on the fresh disk (no signature)"

keyfile=/tmp/lab.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
chmod 600 "$keyfile"

step "luksfit format /dev/vda"
# shellcheck disable=SC2086
expect_success luksfit format --yes --key-file "$keyfile" $FAST /dev/vda
assert_contains "$OUT" "formatted /dev/vda as LUKS2" "format"

step "a second format without --force is refused (exit 6), the volume is unchanged"
expect_success blkid -o value -s UUID /dev/vda
uuid=$OUT
# shellcheck disable=SC2086
expect_status 6 luksfit format --yes --key-file "$keyfile" $FAST /dev/vda
assert_contains "$OUT" "crypto_LUKS" "refusal names what blkid found"
expect_success blkid -o value -s UUID /dev/vda
assert_eq "$OUT" "$uuid" "UUID after the refused format"

step "open with luksfit and fill"
expect_success luksfit open --key-file "$keyfile" /dev/vda story
write_pattern /dev/mapper/story "$LAB_PATTERN_SEED" 8
expect_success luksfit close story
echo "lab-disk-uuid=$uuid"
