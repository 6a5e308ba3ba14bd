# shellcheck shell=sh
# luksfit kernel lab: guest-side helpers, sourced by scenarios with `. /lab/lib.sh`.
# Runs under busybox sh with `set -e` (see tests/vm/lab.sh). Every check prints what it
# compared and exits 1 on mismatch, so a failing scenario says why in the serial log.

LAB_PASSPHRASE=${LAB_PASSPHRASE:-lab-passphrase-0123}
# Fast key derivation: the guest is emulated (TCG), argon2 with default costs takes seconds.
LAB_FAST_PBKDF="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"

# Debian's busybox sh runs its own applets before searching PATH (standalone shell): make the
# real tools of /usr/local/bin (util-linux losetup and blkid...) win over same-named applets.
_applets=" $(busybox --list | tr '\n' ' ') "
for _tool in /usr/local/bin/*; do
    _name=${_tool##*/}
    case $_name in *[!A-Za-z0-9_]*) continue ;; esac
    case $_applets in *" $_name "*) ;; *) continue ;; esac
    eval "$_name() { $_tool \"\$@\"; }"
done
unset _tool _name _applets

# A failing producer in a pipeline fails it (busybox sh supports pipefail). Never end a
# pipeline with `grep -q` or `head`: the producer's SIGPIPE would then fail the pipeline.
# shellcheck disable=SC3040
set -o pipefail

step() { echo "--- [$(cut -d" " -f1 /proc/uptime)s] $*"; }

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

ok() { echo "ok: $*"; }

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() {
    [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
    ok "$3 = '$2'"
}

# assert_ne ACTUAL UNEXPECTED WHAT
assert_ne() {
    [ "$1" != "$2" ] || fail "$3: got '$1', expected anything else"
    ok "$3 = '$1' (not '$2')"
}

# assert_contains TEXT NEEDLE WHAT  (fixed-string match)
assert_contains() {
    case $1 in
        *"$2"*) ok "$3 contains '$2'" ;;
        *) printf '%s\n' "$1" | sed 's/^/  | /' >&2; fail "$3 does not contain '$2'" ;;
    esac
}

# assert_not_contains TEXT NEEDLE WHAT
assert_not_contains() {
    case $1 in
        *"$2"*) printf '%s\n' "$1" | sed 's/^/  | /' >&2; fail "$3 contains '$2'" ;;
        *) ok "$3 lacks '$2'" ;;
    esac
}

# assert_line TEXT REGEX WHAT  (some line of TEXT matches the extended regex)
assert_line() {
    if printf '%s\n' "$1" | grep -E -- "$2" >/dev/null; then
        ok "$3 has a line matching /$2/"
    else
        printf '%s\n' "$1" | sed 's/^/  | /' >&2
        fail "$3 has no line matching /$2/"
    fi
}

# capture CMD... : runs CMD (stdin from /dev/null), sets OUT (stdout+stderr) and RC, never
# fails by itself; the output is echoed to the console.
capture() {
    echo "+ $*"
    RC=0
    OUT=$("$@" </dev/null 2>&1) || RC=$?
    [ -z "$OUT" ] || printf '%s\n' "$OUT" | sed 's/^/  > /'
    echo "  (exit $RC, at $(cut -d' ' -f1 /proc/uptime)s)"
}

# expect_status N CMD... : CMD must exit with status N (sets OUT and RC like capture).
expect_status() {
    _want=$1
    shift
    capture "$@"
    [ "$RC" = "$_want" ] || fail "'$*' exited $RC, expected $_want"
    ok "'$*' exited $_want"
}

# expect_success CMD... / expect_failure CMD... (any non-zero status)
expect_success() { expect_status 0 "$@"; }
expect_failure() {
    capture "$@"
    [ "$RC" != 0 ] || fail "'$*' succeeded, expected a failure"
    ok "'$*' failed with $RC"
}

# pattern SEED MIB : deterministic data, MIB MiB of 64-byte lines, each naming its seed and
# its own index (so data at the wrong offset or from another run is detected). Needs lab_probe
# (run --bin .../lab_probe); busybox awk would take 30 s for 8 MiB under TCG.
pattern() {
    lab_probe pattern "$1" "$2"
}

# write_pattern TARGET SEED MIB : writes the pattern at the start of TARGET and syncs.
write_pattern() {
    pattern "$2" "$3" | dd of="$1" bs=1M conv=fsync 2>/dev/null ||
        fail "writing the pattern to $1"
    ok "wrote $3 MiB pattern '$2' to $1"
}

# check_pattern TARGET SEED MIB : the first MIB MiB of TARGET must be the pattern.
check_pattern() {
    _want=$(pattern "$2" "$3" | sha256sum | cut -d' ' -f1)
    _got=$(dd if="$1" bs=1M count="$3" 2>/dev/null | sha256sum | cut -d' ' -f1)
    [ "$_got" = "$_want" ] || {
        dd if="$1" bs=64 count=2 2>/dev/null | hexdump -C | sed 's/^/  | /' >&2
        fail "pattern '$2' ($3 MiB) not found on $1 (sha256 $_got, expected $_want)"
    }
    ok "pattern '$2' ($3 MiB) read back from $1"
}

# make_loop_file SIZE_MIB : creates a file on tmpfs, attaches it; prints the loop device.
make_loop_file() {
    _f=$(mktemp /tmp/loop.XXXXXX)
    dd if=/dev/zero of="$_f" bs=1M count=0 seek="$1" 2>/dev/null
    losetup --find --show "$_f" || fail "losetup of $_f"
}

# luks_format_type TYPE DEVICE [EXTRA cryptsetup OPTIONS...] : TYPE (luks1, luks2) with fast
# key derivation, the key on stdin.
luks_format_type() {
    _type=$1
    _dev=$2
    shift 2
    # shellcheck disable=SC2086  # LAB_FAST_PBKDF is a list of options
    printf '%s' "$LAB_PASSPHRASE" | cryptsetup luksFormat --batch-mode --type "$_type" \
        $LAB_FAST_PBKDF --key-file - "$@" "$_dev"
}

# luks_format DEVICE [EXTRA cryptsetup OPTIONS...] : LUKS2 with fast key derivation.
luks_format() { luks_format_type luks2 "$@"; }

# luks_open DEVICE NAME [EXTRA OPTIONS...]
luks_open() {
    _dev=$1
    _name=$2
    shift 2
    printf '%s' "$LAB_PASSPHRASE" | cryptsetup open --key-file - "$@" "$_dev" "$_name"
}

# kernel_release_expected : the release the host chose for this variant (from the package)
kernel_release_expected() {
    echo "$LAB_KERNEL_PACKAGE" | sed -e 's/^linux-image-//' -e 's/-unsigned$//'
}

# userland_cryptsetup : the cryptsetup series of this boot's userland (LAB_USERLAND): 2.6 in
# bookworm (the host's tools), 2.8 in unstable (the unstable root's).
userland_cryptsetup() {
    case ${LAB_USERLAND:-} in
        bookworm) echo 2.6 ;;
        unstable) echo 2.8 ;;
        *) fail "unknown userland '${LAB_USERLAND:-}'" ;;
    esac
}

# assert_userland : cryptsetup is the one of this boot's userland.
assert_userland() {
    _series=$(userland_cryptsetup)
    expect_success cryptsetup --version
    assert_line "$OUT" "^cryptsetup $(echo "$_series" | sed 's/\./\\./')\." \
        "cryptsetup --version ($LAB_USERLAND userland)"
}

# wait_for_bench_mapping PID: until `luksfit bench` PID has a dm mapping (at most 15 s); on
# timeout, interrupts PID and fails.
wait_for_bench_mapping() {
    _i=0
    while ! dmsetup ls 2>/dev/null | grep luksfit-bench >/dev/null; do
        _i=$((_i + 1))
        [ $_i -lt 150 ] || { kill -INT "$1"; fail "no bench mapping appeared"; }
        sleep 0.1
    done
}

# bench_mapping_sectors : sectors read and written so far through bench's dm mappings.
bench_mapping_sectors() {
    _sectors=0
    for _d in /sys/block/dm-*; do
        case $(cat "$_d/dm/name" 2>/dev/null) in
        luksfit-bench*) _sectors=$((_sectors + $(awk '{print $3 + $7}' "$_d/stat"))) ;;
        esac
    done
    echo "$_sectors"
}

# wait_for_bench_io PID: until `luksfit bench` PID has moved data through its mapping (it is
# measuring; at most 15 s); on timeout, interrupts PID and fails.
wait_for_bench_io() {
    _i=0
    while [ "$(bench_mapping_sectors)" -eq 0 ]; do
        _i=$((_i + 1))
        [ $_i -lt 150 ] || { kill -INT "$1"; fail "no I/O through the bench mapping"; }
        sleep 0.1
    done
}

# signal_pending PID SIGNO: signal SIGNO is pending for PID (sent, not delivered yet).
signal_pending() {
    _mask=$(awk '/^(ShdPnd|SigPnd):/ {printf "%s ", $2}' "/proc/$1/status" 2>/dev/null)
    for _m in $_mask; do
        [ $(((0x$_m >> ($2 - 1)) & 1)) -eq 1 ] && return 0
    done
    return 1
}

# interrupt_expecting_130 PID OUTPUT_FILE WHAT: SIGINT to PID, which must clean up and re-raise
# the signal (exit status 128+2); prints what PID wrote.
interrupt_expecting_130() {
    kill -INT "$1"
    _rc=0
    wait "$1" || _rc=$?
    cat "$2"
    assert_eq "$_rc" 130 "$3 exit after SIGINT (128+2)"
}

# disk_slice INDEX MIB : attaches the INDEX-th MIB-MiB piece of /dev/vda to a loop device and
# prints it: several volumes on one disk that later boots see at the same place.
disk_slice() {
    losetup --find --show --offset $(($1 * $2 * 1048576)) --sizelimit $(($2 * 1048576)) \
        /dev/vda || fail "losetup of piece $1 of /dev/vda"
}

# compact TEXT : TEXT without spaces and newlines (to match pretty-printed JSON in one line).
compact() {
    printf '%s' "$1" | tr -d ' \n'
}

# unlock_prediction JSON FIELD [SLOT] : "OPENS PATH" (true|false|null,
# afalg|userspace|dm-crypt|null) of keyslot SLOT's (default 0) FIELD (unlock,
# unlock_without_afalg) in `luksfit check --json` of one volume (no jq in the guest; the keys
# are in fixed order, and each keyslot's object starts with "slot").
unlock_prediction() {
    compact "$1" | sed 's/{"slot":/\n/g' |
        sed -nE "s/^${3:-0},.*\"$2\":\\{\"opens\":([a-z]+),\"path\":\"?([a-z-]+)\"?,.*/\\1 \\2/p"
}

# temporary_mappings : dm devices libcryptsetup names "temporary-cryptsetup-*" (none expected)
temporary_mappings() {
    dmsetup ls 2>/dev/null | awk '/^temporary-cryptsetup-/ {print $1}'
}

# unlock_agrees DEVICE WHAT : reads luksfit check's prediction for opening DEVICE here, then does
# what boot does (cryptsetup open, no --key-slot, the key on stdin) and compares. Nothing in it
# assumes a cryptsetup version: the prediction says what this userland should do. Also checks
# that the probes left no temporary mapping and no loop device behind.
unlock_agrees() {
    _loops_before=$(losetup -a | wc -l)
    expect_success luksfit check --json "$1"
    _pred=$(unlock_prediction "$OUT" unlock)
    [ -n "$_pred" ] || fail "$2: no unlock prediction in check --json"
    _opens=${_pred% *}
    _path=${_pred#* }
    assert_eq "$(temporary_mappings)" "" "$2: temporary mappings after check"
    assert_eq "$(losetup -a | wc -l)" "$_loops_before" "$2: loop devices after check"
    if ! lab_probe afalg-socket >/dev/null 2>&1; then
        assert_ne "$_path" afalg "$2: path without AF_ALG"
    fi
    capture luks_open "$1" lab-unlock
    case $_opens in
    true)
        [ "$RC" = 0 ] || fail "$2: predicted opens (path $_path), cryptsetup open failed"
        expect_success cryptsetup close lab-unlock
        ;;
    false)
        if [ "$RC" = 0 ]; then
            cryptsetup close lab-unlock
            fail "$2: predicted does not open, cryptsetup opened it"
        fi
        ;;
    *) fail "$2: prediction '$_opens' as root (expected true or false)" ;;
    esac
    ok "$2: predicted opens=$_opens (path $_path), cryptsetup open agrees (exit $RC)"
}

# luks1_format DEVICE [EXTRA cryptsetup OPTIONS...] : LUKS1 with fast key derivation.
luks1_format() { luks_format_type luks1 "$@"; }

# unlock_volumes : an aes-xts and an Adiantum LUKS2 volume and a LUKS1 aes-cbc-essiv volume,
# each made here with cryptsetup and checked with unlock_agrees. A volume cryptsetup cannot make
# here (an Adiantum keyslot without AF_ALG and without a dm-crypt fallback) must be one luksfit
# said cannot be processed without AF_ALG.
unlock_volumes() {
    _dev=$(make_loop_file 32)
    expect_success luks_format "$_dev" --cipher aes-xts-plain64 --key-size 512
    unlock_agrees "$_dev" "LUKS2 aes-xts"
    losetup -d "$_dev"
    _dev=$(make_loop_file 32)
    expect_success luks1_format "$_dev" --cipher aes-cbc-essiv:sha256 --key-size 256
    unlock_agrees "$_dev" "LUKS1 aes-cbc-essiv:sha256"
    losetup -d "$_dev"
    _dev=$(make_loop_file 32)
    capture luks_format "$_dev" --cipher xchacha12,aes-adiantum-plain64 --key-size 256
    if [ "$RC" = 0 ]; then
        unlock_agrees "$_dev" "LUKS2 Adiantum"
    else
        expect_success luksfit check
        assert_line "$OUT" '^  xchacha12,aes-adiantum-plain64/256 .* +no$' "check (keyslot column)"
        lab_probe afalg-socket >/dev/null 2>&1 && fail "cryptsetup could not format Adiantum with AF_ALG"
        ok "LUKS2 Adiantum: cryptsetup cannot write the keyslot here (no AF_ALG), as check said"
    fi
    losetup -d "$_dev"
}
