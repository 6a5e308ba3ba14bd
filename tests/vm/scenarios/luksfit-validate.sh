# shellcheck shell=sh
# stock: `luksfit validate` round-trips every default candidate cipher through real dm-crypt
# and leaves nothing behind (mapping, loop device, temp file), also when interrupted by SIGINT,
# and when killed by SIGKILL while its loop device is attached.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"

# state : what validate could leave behind (mappings, loop devices, /tmp entries)
state() {
    echo "dm: $(dmsetup ls 2>&1 | tr '\n' ' ')"
    echo "loop: $(losetup -a | tr '\n' ' ')"
    # shellcheck disable=SC2012  # names made by mktemp: no odd characters
    echo "tmp: $(ls -A /tmp | tr '\n' ' ')"
}

before=$(state)
echo "$before"

# The default candidates (domain/policy default_candidates()): cipher key-bits
for c in "aes-xts-plain64 512" "aes-xts-plain64 256" "xchacha12,aes-adiantum-plain64 256" \
         "xchacha20,aes-adiantum-plain64 256" "serpent-xts-plain64 512" "twofish-xts-plain64 512"
do
    # shellcheck disable=SC2086  # "cipher bits" split into $1 $2 on purpose
    set -- $c
    step "validate $1 / $2"
    dmesg -c >/dev/null
    # shellcheck disable=SC2086
    expect_success luksfit validate --cipher "$1" --key-size "$2" --size 32M $FAST
    for s in "create image" "format" "attach loop" "reload and check header" "open" \
             "write pattern (O_DIRECT)" "close" "reopen" "read back and verify" "close again" \
             "no plaintext in image" "blkid sees crypto_LUKS" "detach loop" "delete image"; do
        assert_contains "$OUT" "ok  $s " "validate $1 step"
    done
    assert_contains "$OUT" "validation passed" "validate $1"
    # The test image is formatted as a file: no BLKZEROOUT reaches the loop device over
    # tmpfs, which would log "operation not supported error ... op 0x9:(WRITE_ZEROES)".
    assert_eq "$(dmesg | grep -c 'WRITE_ZEROES' || true)" 0 "kernel errors from validate $1"
    assert_eq "$(state)" "$before" "leftovers after validate $1"
done

step "validate --json with 512-byte sectors (O_DIRECT through a 512-byte mapping)"
# shellcheck disable=SC2086
expect_success sh -c "luksfit validate --json --sector-size 512 --size 32M $FAST 2>/dev/null"
assert_contains "$OUT" '"data_path_tested": true' "validate --json"
assert_contains "$OUT" '"schema": 1' "validate --json"
assert_contains "$OUT" '"sector_size": 512' "validate --json"
assert_contains "$OUT" '"name": "read back and verify"' "validate --json"
assert_eq "$(state)" "$before" "leftovers after validate --json"

# sigint_validate WHEN : starts validate, sends SIGINT when WHEN says so, waits; sets RC.
sigint_validate() {
    # shellcheck disable=SC2086
    luksfit validate --size 48M $FAST >/tmp/.sigint.out 2>&1 &
    pid=$!
    "$@"
    kill -INT "$pid" 2>/dev/null || true
    RC=0
    wait "$pid" || RC=$?
    OUT=$(cat /tmp/.sigint.out)
    printf '%s\n' "$OUT" | sed 's/^/  > /'
    rm -f /tmp/.sigint.out
}

# mapping_appears : polls until validate's dm-crypt mapping is active (fails after ~20 s).
mapping_appears() {
    for _i in $(seq 200); do
        case $(dmsetup ls 2>/dev/null) in *luksfit-validate-*) echo "mapping active"; return 0 ;; esac
        sleep 0.1
    done
    fail "validate's mapping never appeared"
}

# image_open : polls until validate ($pid) holds its test image open, which it does from before
# the format step to the end (fails after ~30 s). The image has no name (O_TMPFILE, or unlinked
# at once): its link reads "/tmp/#INODE (deleted)"; the output file in /tmp is no sign.
image_open() {
    for _i in $(seq 300); do
        # shellcheck disable=SC2010  # the fd links of one process
        if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q ' /tmp/.*(deleted)'; then
            echo "image open"
            return 0
        fi
        sleep 0.1
    done
    fail "validate's test image never appeared"
}

# loop_attached : polls until validate's loop device over its /tmp image is attached, which it
# is from after the format step to the end (fails after ~30 s).
loop_attached() {
    for _i in $(seq 300); do
        if losetup -a | grep -q '/tmp/'; then echo "loop device attached"; return 0; fi
        sleep 0.1
    done
    fail "validate's loop device never appeared"
}

step "SIGINT during validate's format step leaves nothing behind"
sigint_validate image_open
assert_eq "$RC" 130 "validate's status after SIGINT (killed by SIGINT)"
assert_contains "$OUT" "interrupted by INT" "validate's message"
assert_eq "$(state)" "$before" "leftovers after SIGINT during format"

step "SIGINT while validate's mapping is active leaves nothing behind"
sigint_validate mapping_appears
assert_eq "$RC" 130 "validate's status after SIGINT (killed by SIGINT)"
assert_contains "$OUT" "interrupted by INT" "validate's message"
assert_eq "$(state)" "$before" "leftovers after SIGINT with an active mapping"

# back_to_before : polls until the state is as before (the kernel may detach an autoclear loop
# device a moment after its last fd closed); fails after ~20 s, showing the difference.
back_to_before() {
    for _i in $(seq 200); do
        [ "$(state)" = "$before" ] && break
        sleep 0.1
    done
    assert_eq "$(state)" "$before" "$1"
}

step "SIGKILL while validate's loop device is attached leaves nothing behind"
# No handler runs on SIGKILL: only an image without a name and an autoclear loop device,
# both freed by the kernel with the process's fds, leave nothing. PBKDF2 calibrated to 2 s
# keeps the steps after "attach loop" and before any mapping (the open derives the key for
# 2 s) long enough to be seen.
luksfit validate --size 48M --pbkdf pbkdf2 --iter-time 2000 >/tmp/.sigkill.out 2>&1 &
pid=$!
loop_attached
echo "loop: $(losetup -a | tr '\n' ' ')"
# shellcheck disable=SC2010  # the fd links of one process
echo "fds: $(ls -l "/proc/$pid/fd" 2>/dev/null | grep /tmp/ | sed 's/.*-> //' | tr '\n' ' ')"
assert_eq "$(dmsetup ls 2>/dev/null | grep -c luksfit-validate)" 0 "no mapping yet"
kill -KILL "$pid"
RC=0
wait "$pid" || RC=$?
rm -f /tmp/.sigkill.out
assert_eq "$RC" 137 "validate's status after SIGKILL"
back_to_before "leftovers after SIGKILL with the loop device attached"
