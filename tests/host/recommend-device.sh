#!/usr/bin/env bash
# recommend --device: what was read from the device is shown (human and JSON) and steers the
# choice. A loop device with 4096-byte sectors, its rotational flag toggled through sysfs (the
# cached lab figures give no_read_workqueue on a non-rotational device, none on a rotational
# one), a partition of it (whose queue is the disk's), a regular file and a missing path.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq losetup sfdisk partx truncate
[ -e /dev/loop-control ] || skip "no loop devices (/dev/loop-control)"

fixture="$LUKSFIT_SOURCE_ROOT/tests/fixtures/bench/lab-6.1.0-56-stock.json"
rekey_bench_cache "$fixture" "$WORKDIR/cache.json"
img="$WORKDIR/disk.img"
truncate -s 16M "$img"

dev=$(losetup -f --show -P --sector-size 4096 "$img") || skip "no free loop device"
attached=1
# Single quotes: evaluated at cleanup time, after the explicit detach below cleared $attached.
# shellcheck disable=SC2016
on_cleanup '[ -z "$attached" ] || losetup -d "$dev"'
name=$(basename "$dev")
rot="/sys/block/$name/queue/rotational"
[ -w "$rot" ] || skip "$rot is not writable here"
rot_before=$(cat "$rot")
# shellcheck disable=SC2016
on_cleanup '[ -z "$attached" ] || echo "$rot_before" >"$rot"'

# recommend DEVICE [--json]
recommend() {
	local d=$1
	shift
	run "$LUKSFIT" "$@" recommend --cache "$WORKDIR/cache.json" --device "$d"
}
not_in_out() { ! grep -qF -- "$1" "$WORKDIR/out"; }

# Non-rotational: the measured workqueue gain counts, and the reason says why.
echo 0 >"$rot"
recommend "$dev"
expect_rc "non-rotational" 0
expect_out "non-rotational" "device:   $dev: non-rotational, logical sector 4096, physical 4096 bytes"
expect_out "non-rotational" "perf flags:   no_read_workqueue (bypassing the workqueues was faster beyond the measured noise; the device is not rotational)"
expect_out "non-rotational" "crypttab options: luks,no-read-workqueue"
expect_out "non-rotational" "sector size:  4096 (fewer, larger crypto requests; the policy's default; the device's 4096-byte logical sectors allow it)"
check "non-rotational: no reason repeats its value" not_in_out "(4096:"
recommend "$dev" --json
expect_json "non-rotational --json" ".device == {\"path\": \"$dev\", \"name\": \"$name\", \"disk\": \"$name\", \"rotational\": false, \"logical_sector_size\": 4096, \"physical_sector_size\": 4096}"
expect_json "non-rotational --json" '.perf_flags == ["no_read_workqueue"] and (.flags_reason | test("not rotational"))'

# Rotational: the same figures, no flags.
echo 1 >"$rot"
recommend "$dev"
expect_rc "rotational" 0
expect_out "rotational" "device:   $dev: rotational, logical sector 4096, physical 4096 bytes"
expect_out "rotational" "perf flags:   none: the device is rotational, where bypassing the workqueues does not pay"
expect_out "rotational" "crypttab options: luks"
check "rotational: no reason repeats its value" not_in_out "none (none"
recommend "$dev" --json
expect_json "rotational --json" '.device.rotational == true and .perf_flags == [] and .crypttab_options == "luks"'

# Without --device: no device line, "device": null.
run "$LUKSFIT" recommend --cache "$WORKDIR/cache.json"
check "no --device: no device line" not_in_out "device:"
run "$LUKSFIT" --json recommend --cache "$WORKDIR/cache.json"
expect_json "no --device --json" 'has("device") and .device == null'

# A partition: no queue/ of its own in sysfs; the disk's facts apply. sfdisk writes the table;
# partx adds the partition through BLKPG (also where the kernel parses no partition tables).
echo 'label: gpt
start=256, size=1024, type=L' | sfdisk -q "$dev"
partx -u "$dev"
part="${dev}p1"
wait_for "$part" test -b "$part" || skip "$part did not appear"
check "partition has no queue of its own" test ! -e "/sys/class/block/${name}p1/queue"
echo 0 >"$rot"
recommend "$part"
expect_rc "partition" 0
expect_out "partition" "device:   $part (partition of $name): non-rotational, logical sector 4096, physical 4096 bytes"
expect_out "partition" "perf flags:   no_read_workqueue ("
recommend "$part" --json
expect_json "partition --json" ".device.name == \"${name}p1\" and .device.disk == \"$name\" and .device.logical_sector_size == 4096 and .device.rotational == false"
echo 1 >"$rot"
recommend "$part" --json
expect_json "partition, rotational disk --json" '.device.rotational == true and .perf_flags == []'

# Not a block device: exit 4 (wrong device, README's exit codes), message and hint, nothing on stdout.
recommend "$img"
expect_rc "regular file" 4
expect_err "regular file" "luksfit: --device $img: Block device required"
expect_err "regular file" "hint: give the block device to be formatted"
expect_no_out "regular file"
recommend "$img" --json
expect_json "regular file --json" '.ok == false and .error.exit_code == 4 and .error.kind == "wrong-device" and (.error.hint | length > 0)'

recommend "$WORKDIR/missing"
expect_rc "missing path" 4
expect_err "missing path" "luksfit: --device $WORKDIR/missing: No such file or directory"
expect_err "missing path" "hint: check the path"
recommend "$WORKDIR/missing" --json
expect_json "missing path --json" '.error.exit_code == 4 and (.error.message | test("No such file"))'

# Detach: the loop device and its partition are gone.
echo "$rot_before" >"$rot"
losetup -d "$dev"
# shellcheck disable=SC2034 # read by the cleanup commands
attached=
detached() { [ -z "$(losetup -j "$img")" ] && [ ! -e "/sys/class/block/${name}p1" ]; }
wait_for "the loop device and its partition to go" detached || true
check "no loop device left on the image" test -z "$(losetup -j "$img")"
check "no partition left" test ! -e "/sys/class/block/${name}p1"

finish
