# shellcheck shell=sh
# stock: AF_ALG and dm-crypt present; the cryptsetup CLI round-trips a loop-backed LUKS2 volume.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "AF_ALG is available"
expect_success lab_probe afalg-socket
assert_eq "$OUT" ok "afalg-socket"
expect_success lab_probe afalg-socket skcipher 'xts(aes)'
assert_eq "$OUT" ok "afalg-socket skcipher xts(aes)"

step "format a loop-backed LUKS2 volume"
loop=$(make_loop_file 32)
echo "loop device: $loop"
expect_success luks_format "$loop" --cipher aes-xts-plain64 --key-size 512 --sector-size 4096
expect_success blkid -o value -s TYPE "$loop"
assert_eq "$OUT" crypto_LUKS "blkid TYPE"
expect_success cryptsetup luksDump "$loop"
assert_line "$OUT" '^Version:[[:space:]]+2$' "luksDump"
assert_line "$OUT" 'cipher:[[:space:]]+aes-xts-plain64' "luksDump"

step "open, write, close"
expect_success luks_open "$loop" labvol
[ -b /dev/mapper/labvol ] || fail "/dev/mapper/labvol missing after open"
expect_success dmsetup targets
assert_line "$OUT" '^crypt ' "dmsetup targets (dm-crypt autoloaded by the open)"
expect_success cryptsetup status labvol
assert_line "$OUT" 'cipher:[[:space:]]+aes-xts-plain64' "cryptsetup status"
assert_line "$OUT" 'sector size:[[:space:]]+4096' "cryptsetup status"
write_pattern /dev/mapper/labvol stock-rt 4
expect_success cryptsetup close labvol
[ ! -e /dev/mapper/labvol ] || fail "/dev/mapper/labvol still there after close"

step "the ciphertext is not the plaintext"
expect_failure check_pattern "$loop" stock-rt 4

step "reopen and read back"
expect_success luks_open "$loop" labvol
check_pattern /dev/mapper/labvol stock-rt 4
expect_success cryptsetup close labvol

step "a wrong passphrase is refused with exit 2"
capture sh -c "printf wrong | cryptsetup open --key-file - '$loop' labvol"
assert_eq "$RC" 2 "cryptsetup open with a wrong passphrase"
losetup -d "$loop"
