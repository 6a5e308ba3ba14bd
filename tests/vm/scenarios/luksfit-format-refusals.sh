# shellcheck shell=sh
# stock: format refusals that need a real kernel: a mounted filesystem and a device held by a
# dm-crypt mapping are refused (exit 6) even with --force; two formats of the same block device
# at once: one wins, the other fails cleanly (5 or 6), the volume is valid.
# shellcheck source=../guest/lib.sh
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

step "SIGINT during format's pre-checks: blkid's probe blocked on a suspended dm device"
# A dm linear device over a fresh loop device, suspended: I/O to it waits until resume, so
# format's signature probe (the first read, under the target lock) blocks, deterministically,
# until the test resumes the device. The signal arrives while the process is blocked there.
loop3=$(make_loop_file 48)
backing3=$(losetup -n -O BACK-FILE "$loop3" 2>/dev/null || losetup "$loop3" | sed 's/.*(\(.*\))/\1/')
sum3=$(sha256sum <"$backing3")
tmp_before=$(ls -A /tmp)
sz3=$(blockdev --getsz "$loop3")
expect_success dmsetup create lfsusp --table "0 $sz3 linear $loop3 0"
expect_success blockdev --flushbufs /dev/mapper/lfsusp
expect_success dmsetup suspend lfsusp
# shellcheck disable=SC2086
luksfit format --yes --key-file "$keyfile" $FAST /dev/mapper/lfsusp >/tmp/s.out 2>&1 &
ps_=$!
blocked=no
for _i in $(seq 200); do
    if [ "$(cut -d' ' -f3 "/proc/$ps_/stat" 2>/dev/null)" = D ]; then blocked=yes; break; fi
    sleep 0.1
done
echo "wchan: $(cat "/proc/$ps_/wchan" 2>/dev/null)"
assert_eq "$blocked" yes "format blocked in uninterruptible I/O on the suspended device"
kill -INT "$ps_"
# Still there: the read cannot end before the device resumes, the signal is pending.
pending=no
for _i in $(seq 200); do
    if signal_pending "$ps_" 2; then pending=yes; break; fi
    sleep 0.1
done
assert_eq "$pending" yes "SIGINT pending for format"
[ "$(cut -d' ' -f3 "/proc/$ps_/stat" 2>/dev/null)" = D ] || fail "format ended before the device was resumed"
ok "format is still blocked with the signal pending"
expect_success dmsetup resume lfsusp
rs=0; wait "$ps_" || rs=$?
OUT=$(cat /tmp/s.out); rm -f /tmp/s.out
printf '%s\n' "$OUT" | sed 's/^/  s> /'
assert_eq "$rs" 130 "format's status after SIGINT in the pre-checks (killed by SIGINT)"
assert_contains "$OUT" "interrupted by INT" "format's message"
assert_not_contains "$OUT" "validating" "format stopped before its validation"
assert_eq "$(sha256sum <"$backing3")" "$sum3" "the device's bytes after the interruption"
expect_failure blkid -p /dev/mapper/lfsusp
expect_success dmsetup remove lfsusp
expect_success dmsetup ls
assert_eq "$OUT" "No devices found" "dmsetup ls after the interruption"
assert_eq "$(losetup -a | grep -c .)" 1 "loop devices (only the test's own)"
assert_eq "$(ls -A /tmp)" "$tmp_before" "/tmp after the interruption"
losetup -d "$loop3"
