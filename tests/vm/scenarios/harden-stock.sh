# shellcheck shell=sh
# harden-stock: luksfit harden's guarantees on the stock kernel. With every LUKS2 keyslot in
# use, adding the new keyslot fails: the volume is left exactly as it was, and harden says so.
# With two keys, only the keyslot of the given key is rewritten; the other is listed with its
# fix. --key-slot picks the keyslot and refuses a key that does not open it.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1
(umask 077; printf '%s' "$LAB_PASSPHRASE" >/tmp/key; printf 'second-key-4567' >/tmp/key2)

step "two keys, rewrite only the given one"
loop=$(make_loop_file 32)
expect_success luks_format "$loop" --cipher xchacha12,aes-adiantum-plain64 --key-size 256
expect_success sh -c "printf '%s' '$LAB_PASSPHRASE' | cryptsetup luksAddKey $LAB_FAST_PBKDF --key-file - $loop /tmp/key2"
expect_status 2 luksfit harden "$loop" --key-file /tmp/key2 --key-slot 0
expect_status 0 luksfit harden "$loop" --key-file /tmp/key2
assert_line "$OUT" '^  keyslot 1: aes-xts-plain64/512  rewritten$' "harden (key 2)"
assert_line "$OUT" '^  keyslot 0: xchacha12,aes-adiantum-plain64/256  at-risk$' "harden (key 2)"
assert_contains "$OUT" "fix: luksfit harden $loop --key-slot 0" "harden lists the other keyslot"
expect_success cryptsetup open --test-passphrase --key-file /tmp/key "$loop"
expect_success cryptsetup open --test-passphrase --key-file /tmp/key2 "$loop"
losetup -d "$loop"

step "a full keyslot table: nothing changes, and harden says so"
loop=$(make_loop_file 32)
expect_success luks_format "$loop" --cipher xchacha12,aes-adiantum-plain64 --key-size 256
i=1
while [ $i -lt 32 ]; do
    # shellcheck disable=SC2086  # LAB_FAST_PBKDF is a list of options
    printf '%s' "$LAB_PASSPHRASE" | cryptsetup luksAddKey $LAB_FAST_PBKDF --key-slot $i \
        --key-file - "$loop" /tmp/key2 || fail "luksAddKey slot $i"
    i=$((i + 1))
done
expect_success cryptsetup luksDump "$loop"
before=$(printf '%s\n' "$OUT" | grep -c ': luks2$')
assert_eq "$before" 32 "keyslots in use"
md5_before=$(dd if="$loop" bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)
expect_status 1 luksfit harden "$loop" --key-file /tmp/key --key-slot 0
assert_contains "$OUT" "keyslot 0 is unchanged" "harden failure report"
assert_contains "$OUT" "at least as many working keyslots as before" "harden failure hint"
expect_success cryptsetup luksDump "$loop"
assert_eq "$(printf '%s\n' "$OUT" | grep -c ': luks2$')" 32 "keyslots in use after the failure"
assert_eq "$(dd if="$loop" bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)" "$md5_before" "header unchanged"
expect_success cryptsetup open --test-passphrase --key-file /tmp/key --key-slot 0 "$loop"
losetup -d "$loop"
