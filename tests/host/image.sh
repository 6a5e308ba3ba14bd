#!/usr/bin/env bash
# image create/attach/detach, and the commands that need dm-crypt on a host without it.
. "$(dirname "$0")/lib.sh"
need_cmd jq losetup
need_root
loops_before=$(losetup -a | sort)

img="$WORKDIR/a.img"
run "$LUKSFIT" image create "$img" --size 64M --json
expect_rc "create" 0
expect_json "create" '.size_bytes == 67108864 and .allocated_bytes < 1048576'
check "create: size" test "$(stat -c %s "$img")" -eq 67108864
run "$LUKSFIT" image create "$img" --size 64M
expect_rc "create over an existing file" 5
for bad in 0 1.5G 64X -1 ""; do
	run "$LUKSFIT" image create "$WORKDIR/bad.img" --size "$bad"
	expect_rc "size '$bad'" 1
done
check "bad sizes left no file" test ! -e "$WORKDIR/bad.img"

run "$LUKSFIT" image attach "$img" --json
expect_rc "attach" 0
dev=$(jq -r .device "$WORKDIR/out")
on_cleanup "losetup -d '$dev' 2>/dev/null"
check "attach: stays after luksfit exits" sh -c "losetup -a | grep -q '$img'"
run "$LUKSFIT" image detach "$img"
expect_rc "detach by image" 0
expect_out "detach by image" "detached $dev"
run "$LUKSFIT" image detach "$dev"
expect_rc "detach again" 4
run "$LUKSFIT" image detach /dev/null
expect_rc "detach a non-loop" 4
check "no loop device left" test "$(losetup -a | sort)" = "$loops_before"

# No device-mapper on this host: validate cannot run, open/close exit 7 naming it.
if grep -q device-mapper /proc/devices; then skip "this host has device-mapper"; fi
run "$LUKSFIT" validate --iter-time 10 --pbkdf-memory 32768
expect_rc "validate without dm-crypt" 7
expect_err "validate without dm-crypt" "device-mapper"
run "$LUKSFIT" validate --json
expect_json "validate json" '.error.exit_code == 7 and .error.kind == "unsupported"'
printf 'luksfit-test' >"$WORKDIR/key"
"$LUKSFIT_SOURCE_ROOT/images/make-image.sh" luks2-aes-xts-512 "$WORKDIR/luks.img"
run "$LUKSFIT" open "$WORKDIR/luks.img" x --key-file "$WORKDIR/key"
expect_rc "open without dm-crypt" 7
expect_err "open without dm-crypt" "device-mapper"
run "$LUKSFIT" open "$WORKDIR/key" x --key-file "$WORKDIR/key"
expect_rc "open a non-LUKS file" 4
expect_err "open a non-LUKS file" "not a LUKS device"
run "$LUKSFIT" open "$WORKDIR/nope" x
expect_rc "open a missing path" 4
run "$LUKSFIT" close x
expect_rc "close without dm-crypt" 7
finish
