# stock: format refusals that need a real kernel: a mounted filesystem and a device held by a
# dm-crypt mapping are refused (exit 6) even with --force; two formats of the same block device
# at once: one wins, the other fails cleanly (5 or 6), the volume is valid.
. /lab/lib.sh

FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"
keyfile=/tmp/lab.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
chmod 600 "$keyfile"
loop=$(make_loop_file 48)

step "a mounted filesystem is refused, even with --force"
expect_success mkfs.ext4 -q "$loop"
mkdir -p /mnt/lab
expect_success mount -t ext4 "$loop" /mnt/lab
# (the mounted ext4 itself writes to the device, so compare its identity, not bytes)
fs_uuid=$(blkid -o value -s UUID "$loop")
# shellcheck disable=SC2086
expect_status 6 luksfit format --yes --force --key-file "$keyfile" $FAST "$loop"
assert_contains "$OUT" "is mounted on /mnt/lab" "refusal of a mounted device"
expect_success umount /mnt/lab
assert_eq "$(blkid -o value -s TYPE "$loop") $(blkid -o value -s UUID "$loop")" "ext4 $fs_uuid" \
    "filesystem after the refusal"
# shellcheck disable=SC2086
expect_status 6 luksfit format --yes --key-file "$keyfile" $FAST "$loop"
assert_contains "$OUT" "ext4" "refusal names the ext4 signature"

step "a device held by a mapping is refused, even with --force"
expect_success luks_format "$loop"
expect_success luks_open "$loop" held
# shellcheck disable=SC2086
expect_status 6 luksfit format --yes --force --key-file "$keyfile" $FAST "$loop"
assert_contains "$OUT" "is in use by dm-0" "refusal of a held device"
expect_success cryptsetup close held
expect_success cryptsetup open --test-passphrase --key-file "$keyfile" "$loop"

step "two formats of the same device at once: one wins"
dd if=/dev/zero of="$loop" bs=1M count=17 conv=fsync 2>/dev/null
# shellcheck disable=SC2086
luksfit format --yes --key-file "$keyfile" $FAST "$loop" >/tmp/a.out 2>&1 &
pa=$!
# shellcheck disable=SC2086
luksfit format --yes --key-file "$keyfile" $FAST "$loop" >/tmp/b.out 2>&1 &
pb=$!
ra=0; wait $pa || ra=$?
rb=0; wait $pb || rb=$?
sed 's/^/  a> /' /tmp/a.out; sed 's/^/  b> /' /tmp/b.out
rm -f /tmp/a.out /tmp/b.out
echo "exit statuses: $ra $rb"
[ $((ra == 0)) -ne $((rb == 0)) ] || fail "exactly one format must win (got $ra and $rb)"
loser=$ra; [ "$ra" = 0 ] && loser=$rb
case $loser in 5|6) ok "the loser exited $loser" ;; *) fail "the loser exited $loser, expected 5 or 6" ;; esac
expect_success cryptsetup open --test-passphrase --key-file "$keyfile" "$loop"
expect_success dmsetup ls
assert_eq "$OUT" "No devices found" "dmsetup ls"
assert_eq "$(losetup -a | grep -c .)" 1 "loop devices (only the test's own)"
losetup -d "$loop"
