# shellcheck shell=sh
# no-dmcrypt: device-mapper present, the dm-crypt target missing; opening LUKS2 fails.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "dm-crypt is missing, device-mapper works"
expect_success dmsetup targets
assert_line "$OUT" '^linear ' "dmsetup targets"
assert_not_contains "$OUT" "crypt" "dmsetup targets"
expect_failure modprobe dm_crypt

step "AF_ALG is available"
expect_success lab_probe afalg-socket
assert_eq "$OUT" ok "afalg-socket"

step "format works, open fails"
loop=$(make_loop_file 32)
expect_success luks_format "$loop" --cipher aes-xts-plain64 --key-size 512
expect_success blkid -o value -s TYPE "$loop"
assert_eq "$OUT" crypto_LUKS "blkid TYPE"
expect_failure luks_open "$loop" labvol
[ ! -e /dev/mapper/labvol ] || fail "/dev/mapper/labvol exists although open failed"
expect_success dmsetup ls
assert_not_contains "$OUT" labvol "dmsetup ls"
