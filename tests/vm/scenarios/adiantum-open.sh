# shellcheck shell=sh
# Story "adiantum-harden", boot 4 (no-afalg): the hardened volume opens without AF_ALG and the
# data written in boot 1 is intact (dm-crypt still runs Adiantum in the kernel).
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

step "same volume, no AF_ALG"
expect_success blkid -o value -s UUID /dev/vda
assert_eq "$OUT" "$LAB_EXPECT_UUID" "LUKS UUID of /dev/vda"
expect_status 1 lab_probe afalg-socket

step "luksfit check: nothing at risk"
expect_status 0 luksfit check --strict /dev/vda
assert_not_contains "$OUT" "keyslot-needs-afalg" "check"
assert_not_contains "$OUT" "cannot be unlocked" "check"

step "open and read back"
expect_success luks_open /dev/vda story
expect_success cryptsetup status story
assert_line "$OUT" 'cipher:[[:space:]]+xchacha12,aes-adiantum-plain64' "cryptsetup status"
assert_contains "$OUT" "no_read_workqueue" "persistent flags applied at open"
check_pattern /dev/mapper/story "$LAB_PATTERN_SEED" 4
expect_success cryptsetup close story
