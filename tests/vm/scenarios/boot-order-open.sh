# shellcheck shell=sh
# Story "harden-boot-order", boot 2 (no-afalg): every volume boot 1 hardened opens with k1 the
# way boot opens it, by the cryptsetup CLI without --key-slot, and its data is intact; k2 still
# needs AF_ALG (so the search really had a keyslot to stop at). The control volume, never
# hardened, fails exactly as luksfit check predicts, and opens when the keyslot is named.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1
(umask 077; printf 'boot-order-1' >/tmp/k1; printf 'boot-order-2' >/tmp/k2)

step "same disk, no AF_ALG"
dev=$(disk_slice 0 6)
expect_success blkid -o value -s UUID "$dev"
assert_eq "$OUT" "$LAB_EXPECT_UUID" "LUKS UUID of piece 0"
expect_failure cryptsetup open --test-passphrase --key-file /tmp/k2 "$dev"
assert_contains "$OUT" "Cannot use twofish-xts-plain64 cipher for keyslot encryption" "k2 on piece 0"
losetup -d "$dev"
expect_status 1 lab_probe afalg-socket

hardened=""
for piece in 0 1 2 3 4 5; do
    step "piece $piece: cryptsetup open with k1, no --key-slot"
    dev=$(disk_slice "$piece" 6)
    hardened="$hardened $dev"
    expect_success cryptsetup open --key-file /tmp/k1 "$dev" bo
    check_pattern /dev/mapper/bo "$LAB_PATTERN_SEED-$piece" 1
    expect_success cryptsetup close bo
done

step "luksfit check agrees: nothing blocked on the hardened volumes"
# shellcheck disable=SC2086  # one argument per device
expect_status 0 luksfit check --json $hardened
assert_not_contains "$(compact "$OUT")" '"id":"keyslot-blocked-at-boot"' "check"

step "the control volume: check predicts the failure, cryptsetup confirms it"
dev=$(disk_slice 6 6)
expect_status 0 luksfit check "$dev"
assert_line "$OUT" '^  ERROR +keyslot 1 \(aes-xts-plain64\) cannot be unlocked here without a key slot \(as at boot\): .* tries keyslot 0 first' "check $dev"
expect_failure cryptsetup open --key-file /tmp/k1 "$dev" bo
assert_contains "$OUT" "Cannot use twofish-xts-plain64 cipher for keyslot encryption" "open $dev"
[ ! -e /dev/mapper/bo ] || fail "/dev/mapper/bo exists"
expect_success cryptsetup open --key-file /tmp/k1 --key-slot 1 "$dev" bo
check_pattern /dev/mapper/bo "$LAB_PATTERN_SEED-6" 1
expect_success cryptsetup close bo
for dev in $hardened "$dev"; do
    losetup -d "$dev"
done
