# shellcheck shell=sh
# bench-null-blk: the dmcrypt engine over a memory-backed null_blk device (configfs), with no
# null_blk device, dm mapping or loop device left after it, also after SIGINT; the fallback to
# a loop over a memfd (said in the method) when configfs is there but no device can be made;
# and the progress bar: frames on a real terminal (util-linux script), none in a redirected
# stderr or with --json.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

CR=$(printf '\r')
ESC=$(printf '\033')
NULLB=/sys/kernel/config/nullb

# null_blk devices made through configfs (folders; the file "features" is always there)
nullb_items() { find "$NULLB" -mindepth 1 -maxdepth 1 -type d 2>&1; }
leftovers() {
    echo "dm: $(dmsetup ls 2>&1 | grep -v 'No devices found' || true)"
    echo "loop: $(losetup -a)"
    echo "nullb config: $(nullb_items)"
    echo "nullb nodes: $(ls -d /dev/nullb* /dev/luksfit-* 2>/dev/null || true)"
}
# A typescript as lines: progress frames split at \r, "erase line" sequences removed.
typescript_lines() { tr '\r' '\n' <"$1" | sed "s/${ESC}\\[K//g"; }
# The method line of a bench --json document.
method_of() { printf '%s\n' "$1" | grep '"method"'; }
# bench_short: a short dmcrypt run on two candidates.
bench_short() {
    luksfit --json bench --engine dmcrypt --cipher aes-xts-plain64 \
        --cipher xchacha12,aes-adiantum-plain64 --time-budget 12 --sample-ms 60
}
# bench_short_measures METHOD_ERE WHAT: bench_short works on METHOD_ERE's device, measures both
# candidates and leaves nothing behind.
bench_short_measures() {
    expect_success bench_short
    assert_line "$(method_of "$OUT")" "$1" "method ($2)"
    assert_eq "$(printf '%s\n' "$OUT" | grep -c '"available": true')" 2 "candidates measured ($2)"
    assert_eq "$(leftovers)" "$before" "devices after bench ($2)"
}
# load_null_blk [PARAMS...]: (re)loads null_blk without its default device; configfs mounted.
load_null_blk() {
    modprobe -r null_blk 2>/dev/null || true
    expect_success modprobe null_blk nr_devices=0 "$@"
    grep -q ' /sys/kernel/config ' /proc/mounts || expect_success mount -t configfs none /sys/kernel/config
    [ -d "$NULLB" ] || fail "$NULLB missing after loading null_blk"
}

step "setup: dm_crypt, null_blk without a default device, configfs"
expect_success modprobe dm_crypt
load_null_blk
before=$(leftovers)
echo "$before"
assert_eq "$(nullb_items)" "" "null_blk devices before bench"

step "dmcrypt engine over null_blk: figures for both candidates and the variants"
expect_success bench_short
json=$OUT
assert_line "$(method_of "$json")" '"method": "dm-crypt plain mapping over a RAM device \(null_blk, 64 MiB\), ' "method"
assert_not_contains "$(method_of "$json")" "loop" "method"
assert_eq "$(printf '%s\n' "$json" | grep -c '"available": true')" 2 "candidates measured"
assert_eq "$(printf '%s\n' "$json" | grep -c '"supported": true')" 3 "variants measured"
assert_contains "$json" '"label": "no_workqueue"' "variants"
assert_eq "$(leftovers)" "$before" "devices after bench"

step "while bench runs, its mapping sits on a null_blk device"
luksfit bench --engine dmcrypt --cipher aes-xts-plain64 --time-budget 60 --sample-ms 200 \
    >/tmp/int.out 2>&1 &
pid=$!
wait_for_bench_mapping $pid
nullb=$(nullb_items)
assert_eq "$nullb" "$NULLB/luksfit-$pid" "null_blk configfs device"
assert_eq "$(cat "$nullb/memory_backed") $(cat "$nullb/power")" "1 1" "memory_backed power"
# Linux 6.0 and later name the disk after the configfs folder (before: nullb<index>).
disk=luksfit-$pid
[ -b "/dev/$disk" ] || fail "/dev/$disk is not a block device"
devno=$(cat "/sys/block/$disk/dev")
table=$(dmsetup table 2>&1)
echo "$table"
assert_contains "$table" " crypt " "dm table"
assert_contains "$table" " $devno " "dm-crypt over $disk ($devno)"

step "SIGINT during the run: cleanup runs, the signal is re-raised"
wait_for_bench_io $pid
interrupt_expecting_130 $pid /tmp/int.out bench
assert_eq "$(leftovers)" "$before" "devices after SIGINT"

step "progress bar under a real terminal (script), none when stderr is a file"
grep -q ' /dev/pts ' /proc/mounts || expect_success mount -t devpts devpts /dev/pts
expect_success script -qec "luksfit bench --engine dmcrypt --cipher aes-xts-plain64 --time-budget 6 --sample-ms 60" /tmp/typescript
frames=$(typescript_lines /tmp/typescript | grep -c '^bench dmcrypt \[[# ]*\] [0-9]*%$' || true)
echo "progress frames: $frames"
[ "$frames" -ge 3 ] || fail "progress frames in the typescript: $frames, expected at least 3"
ok "progress frames: $frames"
assert_contains "$(cat /tmp/typescript)" "${CR}${ESC}[K" "typescript (line cleared)"
text=$(typescript_lines /tmp/typescript)
assert_line "$text" '^engine dmcrypt: .*null_blk' "typescript (final report)"
assert_line "$text" '^candidate +encrypt +decrypt +driver' "typescript (table header)"
assert_line "$text" '^fastest safe: aes-xts-plain64/512' "typescript (winner)"
expect_success script -qec "luksfit --json bench --engine dmcrypt --cipher aes-xts-plain64 --time-budget 3 --sample-ms 60" /tmp/typescript-json
assert_not_contains "$(cat /tmp/typescript-json)" "bench dmcrypt [" "typescript with --json"
assert_not_contains "$(cat /tmp/typescript-json)" "$ESC" "typescript with --json"
rc=0
luksfit bench --engine dmcrypt --cipher aes-xts-plain64 --time-budget 3 --sample-ms 60 \
    >/tmp/plain.out 2>/tmp/plain.err || rc=$?
assert_eq "$rc" 0 "bench with stderr redirected"
assert_line "$(cat /tmp/plain.out)" '^fastest safe: aes-xts-plain64/512' "stdout (winner)"
for f in /tmp/plain.out /tmp/plain.err; do
    assert_not_contains "$(cat $f)" "$CR" "$f"
    assert_not_contains "$(cat $f)" "$ESC" "$f"
done
assert_eq "$(leftovers)" "$before" "devices after the terminal runs"

step "configfs mounted read-only (as in a container): fallback to a loop over a memfd, said"
expect_success mount -o remount,ro /sys/kernel/config
rc=0
ro_out=$(bench_short 2>&1) || rc=$?
expect_success mount -o remount,rw /sys/kernel/config
assert_eq "$rc" 0 "bench exit"
assert_line "$(method_of "$ro_out")" "\\(loop over memfd, 64 MiB; null_blk not used: mkdir $NULLB/luksfit-[0-9]+: Read-only file system\\)" "method"
assert_eq "$(printf '%s\n' "$ro_out" | grep -c '"available": true')" 2 "candidates measured (loop)"
assert_eq "$(leftovers)" "$before" "devices after the fallback"

step "null_blk whose defaults cannot be powered on (hw_queue_depth=0): fallback, no configfs item left"
load_null_blk hw_queue_depth=0
bench_short_measures '\(loop over memfd, 64 MiB; null_blk not used: configure null_blk power: Invalid argument\)' \
    "failed power-on"

step "null_blk loaded for zoned devices (zoned=1): bench asks for a conventional one"
load_null_blk zoned=1
bench_short_measures '\(null_blk, 64 MiB\)' "zoned default"
