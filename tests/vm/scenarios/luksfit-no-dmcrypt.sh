# shellcheck shell=sh
# no-dmcrypt: luksfit on a kernel with device-mapper but without the dm-crypt target.
# open and validate exit 7 naming dm-crypt; format proceeds by policy (format.cpp: without
# dm-crypt its validation covers format + keyslot unlock only, warns that the data path was not
# tested, and writes the header, since keyslots work without dm-crypt; the volume is opened
# later on a kernel that has it).
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"
state() {
    echo "dm: $(dmsetup ls 2>&1 | tr '\n' ' ')"
    echo "loop: $(losetup -a | tr '\n' ' ')"
}

step "dm-crypt is missing"
expect_success dmsetup targets
assert_not_contains "$OUT" "crypt" "dmsetup targets"

keyfile=/tmp/lab.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
chmod 600 "$keyfile"
loop=$(make_loop_file 48)
before=$(state)
tmp_before=$(ls -A /tmp)

step "validate cannot run (exit 7)"
# shellcheck disable=SC2086
expect_status 7 luksfit validate $FAST --size 32M
assert_contains "$OUT" "validate cannot run here: this kernel has no dm-crypt target (CONFIG_DM_CRYPT, module dm_crypt)" "validate"
expect_status 7 sh -c "luksfit validate --json $FAST --size 32M 2>/dev/null"
assert_contains "$OUT" '"kind": "unsupported"' "validate --json"
assert_eq "$(state)" "$before" "leftovers after validate"
assert_eq "$(ls -A /tmp)" "$tmp_before" "/tmp after validate"

step "format of a block device proceeds, validating keyslots only"
# shellcheck disable=SC2086
expect_success luksfit format --yes --key-file "$keyfile" $FAST "$loop"
assert_contains "$OUT" "validated format and keyslot unlock only, not the data path" "format warning"
assert_contains "$OUT" "ok  unlock keyslot " "format's validation"
assert_not_contains "$OUT" "ok  open " "format's validation"
assert_contains "$OUT" "verified: keyslot 0 opens with your key" "format"
# No dm-crypt target, so no version to choose the performance flags from: none stored.
assert_contains "$OUT" "perf flags:    none: the dm-crypt target version is unknown here" "format"
expect_success blkid -o value -s TYPE "$loop"
assert_eq "$OUT" crypto_LUKS "blkid TYPE"
expect_success cryptsetup luksDump "$loop"
assert_line "$OUT" '^Flags:[[:space:]]+\(no flags\)' "luksDump flags"
expect_success cryptsetup open --test-passphrase --key-file "$keyfile" "$loop"
assert_eq "$(state)" "$before" "leftovers after format"
assert_eq "$(ls -A /tmp)" "$tmp_before" "/tmp after format"

step "open exits 7 naming dm-crypt"
expect_status 7 luksfit open --key-file "$keyfile" "$loop" lfvol
assert_contains "$OUT" "dm-crypt" "open"
assert_contains "$OUT" "modprobe dm_crypt" "open hint"
[ ! -e /dev/mapper/lfvol ] || fail "/dev/mapper/lfvol exists"
expect_status 7 luksfit close lfvol
assert_contains "$OUT" "dm-crypt" "close"

step "nothing left behind"
assert_eq "$(state)" "$before" "mappings and loop devices"
assert_eq "$(ls -A /tmp)" "$tmp_before" "/tmp"
losetup -d "$loop"
