# shellcheck shell=sh
# Story "adiantum-harden", boot 2 (no-afalg): luksfit check flags the volume, and indeed the
# cryptsetup CLI cannot open it: without AF_ALG, libcryptsetup has no Adiantum for the keyslot
# (docs/compatibility.md).
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

step "same volume, no AF_ALG"
expect_success blkid -o value -s UUID /dev/vda
assert_eq "$OUT" "$LAB_EXPECT_UUID" "LUKS UUID of /dev/vda"
expect_status 1 lab_probe afalg-socket

step "luksfit check flags the keyslot as an error on this host"
md5_before=$(md5sum /dev/vda | cut -d' ' -f1)
expect_status 0 luksfit check /dev/vda
assert_contains "$OUT" "keyslot 0 (xchacha12,aes-adiantum-plain64) cannot be unlocked on this host" "check /dev/vda"
assert_contains "$OUT" "luksfit harden /dev/vda --key-slot 0" "check /dev/vda remedy"
expect_status 7 luksfit check --strict /dev/vda
expect_status 0 luksfit check --json /dev/vda
assert_contains "$OUT" '"keyslots_at_risk": [
        0
      ]' "check --json"
assert_eq "$(md5sum /dev/vda | cut -d' ' -f1)" "$md5_before" "/dev/vda unchanged by check"

step "cryptsetup open fails"
capture luks_open /dev/vda story
assert_eq "$RC" 1 "cryptsetup open exit status"
assert_contains "$OUT" "Cannot use xchacha12,aes-adiantum-plain64 cipher for keyslot encryption" "cryptsetup open"
[ ! -e /dev/mapper/story ] || fail "/dev/mapper/story exists"

step "harden cannot work here, and says why"
(umask 077; printf '%s' "$LAB_PASSPHRASE" >/tmp/key)
expect_status 7 luksfit harden /dev/vda --key-file /tmp/key
assert_contains "$OUT" "run luksfit harden on a kernel that still has AF_ALG" "harden without AF_ALG"
assert_eq "$(md5sum /dev/vda | cut -d' ' -f1)" "$md5_before" "/dev/vda unchanged by the refused harden"
