# shellcheck shell=sh
# Story "adiantum-harden", boot 3 (stock): luksfit harden rewrites keyslot 0 with aes-xts-plain64
# keyslot encryption, keeping its passphrase, its PBKDF and its number; the data cipher stays.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

step "same volume"
expect_success blkid -o value -s UUID /dev/vda
assert_eq "$OUT" "$LAB_EXPECT_UUID" "LUKS UUID of /dev/vda"

step "a wrong key changes nothing"
(umask 077; printf 'wrong-passphrase' >/tmp/wrong)
md5_before=$(dd if=/dev/vda bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)
expect_status 2 luksfit harden /dev/vda --key-file /tmp/wrong
assert_eq "$(dd if=/dev/vda bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)" "$md5_before" "header after a wrong key"

step "harden"
(umask 077; printf '%s' "$LAB_PASSPHRASE" >/tmp/key)
expect_status 0 luksfit harden /dev/vda --key-file /tmp/key --persist-perf-flags
assert_contains "$OUT" "verified keyslot" "harden steps"
assert_line "$OUT" '^  keyslot 0: aes-xts-plain64/512  rewritten$' "harden result"
assert_contains "$OUT" "Stored performance flags" "harden perf flags"

step "the header, by cryptsetup"
expect_success cryptsetup luksDump /dev/vda
assert_line "$OUT" '^  0: luks2$' "keyslot 0 kept its number"
assert_not_contains "$OUT" "  1: luks2" "no leftover keyslot"
assert_line "$OUT" 'Cipher:[[:space:]]+aes-xts-plain64' "keyslot encryption"
assert_line "$OUT" 'Cipher key:[[:space:]]+512 bits' "keyslot key size"
assert_line "$OUT" 'PBKDF:[[:space:]]+pbkdf2' "PBKDF kept"
assert_line "$OUT" 'Iterations:[[:space:]]+1000$' "PBKDF iterations kept"
assert_line "$OUT" 'cipher:[[:space:]]+xchacha12,aes-adiantum-plain64' "data cipher unchanged"
assert_line "$OUT" '^Flags:[[:space:]]+no-read-workqueue no-write-workqueue' "persistent flags"

step "luksfit agrees; a second harden has nothing to do"
expect_status 0 luksfit check /dev/vda
assert_not_contains "$OUT" "AF_ALG is gone" "check /dev/vda"
expect_status 0 luksfit harden /dev/vda --key-file /tmp/key
assert_contains "$OUT" "nothing to do" "second harden"
