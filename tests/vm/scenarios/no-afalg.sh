# shellcheck shell=sh
# no-afalg: a kernel without AF_ALG (af_alg.ko and algif_*.ko absent); dm-crypt still works.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "AF_ALG is missing"
expect_status 1 lab_probe afalg-socket
assert_eq "$OUT" EAFNOSUPPORT "afalg-socket"
expect_failure modprobe af_alg

step "dm-crypt is available"
expect_success modprobe dm_crypt
expect_success dmsetup targets
assert_line "$OUT" '^crypt ' "dmsetup targets"

step "aes-xts LUKS2 round trip without AF_ALG (keyslots in userspace)"
loop=$(make_loop_file 32)
expect_success luks_format "$loop" --cipher aes-xts-plain64 --key-size 512
expect_success luks_open "$loop" labvol
write_pattern /dev/mapper/labvol no-afalg-rt 2
expect_success cryptsetup close labvol
expect_success luks_open "$loop" labvol
check_pattern /dev/mapper/labvol no-afalg-rt 2
expect_success cryptsetup close labvol

step "a kernel-only keyslot cipher cannot be used without AF_ALG"
loop2=$(make_loop_file 32)
expect_failure luks_format "$loop2" --cipher xchacha12,aes-adiantum-plain64 --key-size 256
assert_contains "$OUT" "keyslot encryption" "cryptsetup luksFormat (adiantum)"
