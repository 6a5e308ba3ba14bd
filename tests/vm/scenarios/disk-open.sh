# shellcheck shell=sh
# Story "disk-handover", boot 2 (no-afalg): open the volume formatted in boot 1, check data.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "this kernel has no AF_ALG"
expect_status 1 lab_probe afalg-socket
assert_eq "$OUT" EAFNOSUPPORT "afalg-socket"

step "same volume as boot 1"
expect_success blkid -o value -s UUID /dev/vda
assert_eq "$OUT" "$LAB_EXPECT_UUID" "LUKS UUID of /dev/vda"

step "open and read back"
expect_success luks_open /dev/vda handover
check_pattern /dev/mapper/handover "$LAB_PATTERN_SEED" 8
expect_success cryptsetup close handover
