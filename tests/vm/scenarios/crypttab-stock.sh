# shellcheck shell=sh
# stock: luksfit crypttab where dm-crypt is real. The flags come from the dm-crypt target
# version; a volume formatted by luksfit stores them in its LUKS2 header, so the line leaves
# them out; a volume formatted by cryptsetup without them gets them in the line. --write into
# a private crypttab, then cryptsetup opens the volume with the options that line names.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"
keyfile=/tmp/lab.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
chmod 600 "$keyfile"
expect_success modprobe dm_crypt
loop=$(make_loop_file 48)
loop2=$(make_loop_file 48)

step "a volume formatted by luksfit: flags stored in the header"
# shellcheck disable=SC2086
expect_success luksfit format --yes --key-file "$keyfile" $FAST "$loop"
uuid=$(cryptsetup luksUUID "$loop")
expect_success cryptsetup luksDump "$loop"
assert_contains "$OUT" "no-read-workqueue" "luksDump: persistent flag"
expect_success luksfit crypttab -v "$loop" data --initrd
assert_line "$OUT" "data UUID=$uuid none luks,x-initrd.attach" "line without the stored flags"
assert_contains "$OUT" "performance flags: dm-crypt 1." "flags from the dm-crypt target version"
assert_contains "$OUT" "no-read-workqueue left out: the LUKS2 header stores it" "-v note"
expect_success luksfit --json crypttab "$loop" data
assert_contains "$OUT" '"from_header": [' "json from_header"

step "a volume formatted by cryptsetup: flags in the line"
luks_format "$loop2" --cipher aes-xts-plain64 --key-size 512 || fail "luksFormat $loop2"
uuid2=$(cryptsetup luksUUID "$loop2")
expect_success luksfit crypttab "$loop2" home --crypttab /tmp/crypttab --write
assert_contains "$OUT" "created /tmp/crypttab (line 1)" "write"
line=$(cat /tmp/crypttab)
assert_eq "$line" "home UUID=$uuid2 none luks,no-read-workqueue,no-write-workqueue" "the written line"
expect_status 5 luksfit crypttab "$loop2" other --crypttab /tmp/crypttab --write

step "cryptsetup opens it with the options of that line"
# (no udev in the guest, so no /dev/disk/by-uuid: the device node stands in for UUID=)
luks_open "$loop2" home --perf-no_read_workqueue --perf-no_write_workqueue ||
    fail "open with the line's flags"
expect_success dmsetup table home
assert_contains "$OUT" "no_read_workqueue" "dm table has the flag"
expect_success cryptsetup close home
losetup -d "$loop" "$loop2"
