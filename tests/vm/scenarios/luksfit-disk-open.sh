# shellcheck shell=sh
# Story "luksfit-disk", boot 2 (stock, fresh boot): luksfit opens the volume formatted by
# luksfit in boot 1 and the data written then reads back.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

keyfile=/tmp/lab.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
chmod 600 "$keyfile"

step "same volume as boot 1, nothing active yet"
expect_success blkid -o value -s UUID /dev/vda
assert_eq "$OUT" "$LAB_EXPECT_UUID" "LUKS UUID of /dev/vda"
expect_success dmsetup ls
assert_not_contains "$OUT" story "dmsetup ls"

step "luksfit open --readonly and read back"
expect_success luksfit open --readonly --key-file "$keyfile" /dev/vda story
expect_success cryptsetup status story
assert_line "$OUT" 'mode:[[:space:]]+readonly' "cryptsetup status"
expect_failure sh -c "echo x | dd of=/dev/mapper/story conv=fsync 2>&1"
expect_success dmsetup table story
assert_contains "$OUT" "no_read_workqueue" "dm table (persistent flags)"
check_pattern /dev/mapper/story "$LAB_PATTERN_SEED" 8
expect_success luksfit close story
[ ! -e /dev/mapper/story ] || fail "/dev/mapper/story still there after close"
