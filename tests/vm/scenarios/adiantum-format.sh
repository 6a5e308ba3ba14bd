# shellcheck shell=sh
# Story "adiantum-harden", boot 1 (stock): the cryptsetup CLI formats /dev/vda with Adiantum and
# default keyslot options (the keyslots then use the data cipher, Adiantum, too); data written.
# PBKDF2 with 1000 iterations only because argon2's defaults take long under TCG.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

step "format with Adiantum, default keyslot encryption"
expect_success luks_format /dev/vda --cipher xchacha12,aes-adiantum-plain64 --key-size 256
expect_success cryptsetup luksDump /dev/vda
assert_line "$OUT" '^  0: luks2$' "luksDump keyslot 0"
assert_line "$OUT" 'Cipher:[[:space:]]+xchacha12,aes-adiantum-plain64' "luksDump keyslot cipher"

step "luksfit sees the risk already (AF_ALG is still here: a warning)"
expect_status 0 luksfit check /dev/vda
assert_contains "$OUT" "keyslot 0 (xchacha12,aes-adiantum-plain64) will not unlock once AF_ALG is gone" "check /dev/vda"
assert_contains "$OUT" "luksfit harden /dev/vda --key-slot 0" "check /dev/vda remedy"

step "write data"
expect_success luks_open /dev/vda story
write_pattern /dev/mapper/story "$LAB_PATTERN_SEED" 4
expect_success cryptsetup close story
expect_success blkid -o value -s UUID /dev/vda
echo "lab-disk-uuid=$OUT"
