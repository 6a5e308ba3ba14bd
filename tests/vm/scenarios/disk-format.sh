# shellcheck shell=sh
# Story "disk-handover", boot 1 (stock): format /dev/vda with LUKS2 and write a pattern.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "userland $LAB_USERLAND"
assert_userland

step "fresh disk"
[ -b /dev/vda ] || fail "/dev/vda missing"
capture blkid -p /dev/vda
assert_ne "$RC" 0 "blkid -p on the fresh disk (no signature)"

step "format and fill"
expect_success luks_format /dev/vda --cipher aes-xts-plain64 --key-size 512 --sector-size 4096
expect_success luks_open /dev/vda handover
write_pattern /dev/mapper/handover "$LAB_PATTERN_SEED" 8
expect_success cryptsetup close handover
expect_success blkid -o value -s UUID /dev/vda
echo "lab-disk-uuid=$OUT"
