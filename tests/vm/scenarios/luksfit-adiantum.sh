# shellcheck shell=sh
# no-afalg: luksfit formats and opens an Adiantum volume on a kernel without AF_ALG. The data
# segment uses Adiantum in dm-crypt; the keyslot falls back to aes-xts-plain64/512, which
# libcryptsetup's userspace backend processes (docs/compatibility.md), so the volume unlocks
# here.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"
state() {
    echo "dm: $(dmsetup ls 2>&1 | tr '\n' ' ')"
    echo "loop: $(losetup -a | tr '\n' ' ')"
}

step "this kernel has no AF_ALG"
expect_status 1 lab_probe afalg-socket
assert_eq "$OUT" EAFNOSUPPORT "afalg-socket"

keyfile=/tmp/lab.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
chmod 600 "$keyfile"
loop=$(make_loop_file 48)
before=$(state)
tmp_before=$(ls -A /tmp)

step "luksfit format with Adiantum"
# shellcheck disable=SC2086
expect_success luksfit format --yes --key-file "$keyfile" $FAST \
    --cipher xchacha12,aes-adiantum-plain64 --key-size 256 "$loop"
assert_contains "$OUT" "keyslots:      aes-xts-plain64/512" "format plan"
assert_contains "$OUT" "ok  read back and verify " "format's validation round trip"
assert_contains "$OUT" "verified: keyslot 0 opens with your key" "format"
assert_eq "$(state)" "$before" "leftovers after format"
assert_eq "$(ls -A /tmp)" "$tmp_before" "/tmp after format"

step "luksDump: Adiantum data segment, aes-xts-plain64/512 keyslot"
expect_success cryptsetup luksDump "$loop"
assert_line "$OUT" 'cipher:[[:space:]]+xchacha12,aes-adiantum-plain64' "luksDump data segment"
assert_line "$OUT" '^[[:space:]]+Cipher:[[:space:]]+aes-xts-plain64' "luksDump keyslot cipher"
assert_line "$OUT" '^[[:space:]]+Cipher key:[[:space:]]+512 bits' "luksDump keyslot key size"
assert_not_contains "$(printf '%s\n' "$OUT" | sed -n '/^Keyslots:/,/^Tokens:/p')" adiantum \
    "luksDump keyslot section"

step "luksfit open, write, close, reopen, verify"
expect_success luksfit open --key-file "$keyfile" "$loop" adi
expect_success dmsetup table adi
assert_contains "$OUT" "xchacha12,aes-adiantum-plain64" "dm table of adi"
write_pattern /dev/mapper/adi adi-rt 2
expect_success luksfit close adi
expect_failure check_pattern "$loop" adi-rt 2
expect_success luksfit open --key-file "$keyfile" "$loop" adi
check_pattern /dev/mapper/adi adi-rt 2
expect_success luksfit close adi

step "the cryptsetup CLI opens it too (no AF_ALG)"
expect_success luks_open "$loop" adi-cs
check_pattern /dev/mapper/adi-cs adi-rt 2
expect_success cryptsetup close adi-cs

step "nothing left behind"
assert_eq "$(state)" "$before" "mappings and loop devices"
assert_eq "$(ls -A /tmp)" "$tmp_before" "/tmp"
losetup -d "$loop"
