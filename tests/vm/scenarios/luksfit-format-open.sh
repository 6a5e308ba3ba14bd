# shellcheck shell=sh
# stock: luksfit format of a loop device, open/write/close/reopen/verify with luksfit, exit
# codes of open (wrong passphrase 2, name in use 5), what luksDump shows, and interop with the
# cryptsetup CLI both ways. Nothing may be left behind.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"

state() {
    echo "dm: $(dmsetup ls 2>&1 | tr '\n' ' ')"
    echo "loop: $(losetup -a | tr '\n' ' ')"
}

keyfile=/tmp/lab.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
chmod 600 "$keyfile"
loop=$(make_loop_file 48)
loop2=$(make_loop_file 48)
before=$(state)
tmp_before=$(ls -A /tmp)
echo "$before"

step "luksfit format $loop"
# shellcheck disable=SC2086
expect_success luksfit format --yes --key-file "$keyfile" $FAST --cipher aes-xts-plain64 \
    --key-size 512 "$loop"
assert_contains "$OUT" "ok  read back and verify " "format's validation round trip"
assert_contains "$OUT" "formatted $loop as LUKS2" "format"
assert_contains "$OUT" "verified: keyslot 0 opens with your key" "format"
expect_success blkid -o value -s TYPE "$loop"
assert_eq "$OUT" crypto_LUKS "blkid TYPE"
expect_success blkid -o value -s UUID "$loop"
uuid=$OUT
assert_eq "$(state)" "$before" "leftovers after format (validation image)"
assert_eq "$(ls -A /tmp)" "$tmp_before" "/tmp after format"

step "luksDump shows what luksfit chose"
expect_success cryptsetup luksDump "$loop"
dump=$OUT
assert_line "$dump" '^Flags:[[:space:]]+no-read-workqueue no-write-workqueue' "luksDump flags"
assert_line "$dump" 'cipher:[[:space:]]+aes-xts-plain64' "luksDump data segment cipher"
assert_line "$dump" 'sector:[[:space:]]+4096 \[bytes\]' "luksDump sector size"
# Keyslot 0: luks2 type, aes-xts-plain64 with a 512-bit keyslot key
assert_line "$dump" '^[[:space:]]+Cipher:[[:space:]]+aes-xts-plain64' "luksDump keyslot cipher"
assert_line "$dump" '^[[:space:]]+Cipher key:[[:space:]]+512 bits' "luksDump keyslot key size"
assert_line "$dump" 'PBKDF:[[:space:]]+pbkdf2' "luksDump keyslot PBKDF"

step "luksfit open, write, close"
expect_success luksfit open --key-file "$keyfile" "$loop" lfvol
assert_contains "$OUT" "opened $loop as /dev/mapper/lfvol" "open"
[ -b /dev/mapper/lfvol ] || fail "/dev/mapper/lfvol missing after open"
expect_success dmsetup table lfvol
assert_contains "$OUT" "no_read_workqueue" "dm table of lfvol"
assert_contains "$OUT" "no_write_workqueue" "dm table of lfvol"
assert_contains "$OUT" "aes-xts-plain64" "dm table of lfvol"
assert_contains "$OUT" "sector_size:4096" "dm table of lfvol"
write_pattern /dev/mapper/lfvol lf-rt 2
expect_success luksfit close lfvol
assert_eq "$OUT" "closed lfvol" "close"
[ ! -e /dev/mapper/lfvol ] || fail "/dev/mapper/lfvol still there after close"
expect_failure check_pattern "$loop" lf-rt 2

step "luksfit reopen and verify (--json)"
expect_success sh -c "luksfit open --json --key-file '$keyfile' '$loop' lfvol"
assert_contains "$OUT" '"path": "/dev/mapper/lfvol"' "open --json"
# dm-crypt's spelling of the flags in every JSON list (docs/architecture.md, Output).
assert_contains "$OUT" '"persistent_flags": [
    "no_read_workqueue",
    "no_write_workqueue"
  ]' "open --json persistent_flags"
assert_contains "$OUT" '"perf_flags": [
    "no_read_workqueue",
    "no_write_workqueue"
  ]' "open --json perf_flags"
assert_contains "$OUT" '"perf_flags_reason": "dm-crypt 1.' "open --json perf_flags_reason"
check_pattern /dev/mapper/lfvol lf-rt 2

step "a NAME already active exits 5"
expect_status 5 luksfit open --key-file "$keyfile" "$loop" lfvol
assert_contains "$OUT" "lfvol already exists" "open of an active name"
check_pattern /dev/mapper/lfvol lf-rt 2
expect_success luksfit close lfvol

step "a wrong passphrase exits 2"
expect_status 2 sh -c "printf wrong | luksfit open --key-file - '$loop' lfvol"
assert_contains "$OUT" "passphrase" "open with a wrong passphrase"
[ ! -e /dev/mapper/lfvol ] || fail "/dev/mapper/lfvol exists after a failed open"
expect_status 4 luksfit close lfvol
assert_contains "$OUT" "no active mapping named lfvol" "close of an inactive name"
expect_status 4 luksfit open --key-file "$keyfile" "$loop2" lfvol
assert_contains "$OUT" "not a LUKS device" "open of a blank device"

step "interop: the cryptsetup CLI opens what luksfit formatted"
expect_success luks_open "$loop" csvol
check_pattern /dev/mapper/csvol lf-rt 2
expect_success cryptsetup status csvol
assert_line "$OUT" 'flags:.*no_read_workqueue' "cryptsetup status (persistent flags applied)"
expect_success cryptsetup close csvol

step "interop: luksfit opens what the cryptsetup CLI formatted"
expect_success luks_format "$loop2" --cipher aes-xts-plain64 --key-size 256 --sector-size 512
# No persistent flags in this header: what dm-crypt gets is what luksfit open adds.
expect_success luksfit open --no-perf-flags --key-file "$keyfile" "$loop2" lfvol2
expect_success dmsetup table lfvol2
assert_not_contains "$OUT" "workqueue" "dm table after open --no-perf-flags"
assert_contains "$OUT" "aes-xts-plain64" "dm table after open --no-perf-flags"
expect_success luksfit close lfvol2
expect_success sh -c "luksfit open --json --no-perf-flags --key-file '$keyfile' '$loop2' lfvol2"
assert_contains "$OUT" '"perf_flags": []' "open --json --no-perf-flags"
assert_contains "$OUT" '"persistent_flags": []' "open --json --no-perf-flags"
expect_success luksfit close lfvol2
expect_success luksfit open --key-file "$keyfile" "$loop2" lfvol2
expect_success dmsetup table lfvol2
assert_contains "$OUT" "no_read_workqueue" "dm table after open (flags luksfit adds)"
assert_contains "$OUT" "no_write_workqueue" "dm table after open (flags luksfit adds)"
write_pattern /dev/mapper/lfvol2 cs-rt 2
expect_status 5 luksfit open --key-file "$keyfile" "$loop" lfvol2
assert_contains "$OUT" "lfvol2 already exists" "open of another device under an active name"
expect_success luksfit close lfvol2
expect_success luks_open "$loop2" csvol2
check_pattern /dev/mapper/csvol2 cs-rt 2
expect_success cryptsetup close csvol2

step "nothing left behind"
assert_eq "$(state)" "$before" "mappings and loop devices"
assert_eq "$(ls -A /tmp)" "$tmp_before" "/tmp"
[ "$(blkid -o value -s UUID "$loop")" = "$uuid" ] || fail "UUID of $loop changed"
losetup -d "$loop" "$loop2"
