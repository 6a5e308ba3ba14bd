# shellcheck shell=sh
# The prediction matrix (story prediction-matrix): volumes on /dev/vda, one per 32 MiB piece,
# made once with AF_ALG (LAB_MATRIX_PHASE=make), then in every cell (kernel, variant,
# userland; LAB_MATRIX_PHASE=cell) `luksfit check --json` predicts, for each keyslot's key,
# whether the volume opens here and how, and this userland's cryptsetup then opens it as boot
# does (no --key-slot, the key on stdin) and the data pattern is read back. One line per key:
#   matrix-row: CELL | VOLUME | KEY | PREDICTED | OUTCOME | agree|DISAGREE
# The scenario fails after the last row when any row disagrees. LAB_MATRIX_PHASE=harden (7.2
# without AF_ALG) runs `luksfit harden` on the volume "hardened": it must rewrite the keyslot
# where check predicts that keyslot opens here, and else refuse with the header unchanged;
# cells after a rewrite (LAB_MATRIX_HARDENED=1) also require that keyslot to open wherever
# dm-crypt is.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

# volume INDEX: name, the cryptsetup options that make it, and how many keyslots it has.
# 4 and 5: keyslot 0 in the volume's own (kernel-only) encryption and keyslot 1 in aes-xts,
# as a partial `luksfit harden` leaves them: 5 after its boot-order step (keyslot 1 prefer).
# "hardened": Adiantum, then `luksfit harden` in the harden phase (7.2 without AF_ALG).
VOLUMES="aes-xts adiantum serpent-xts luks1-aes-cbc mixed mixed-prefer hardened"
volume_options() {
    case $1 in
    aes-xts) echo "--type luks2 --cipher aes-xts-plain64 --key-size 512" ;;
    adiantum | mixed | mixed-prefer | hardened)
        echo "--type luks2 --cipher xchacha12,aes-adiantum-plain64 --key-size 256" ;;
    serpent-xts) echo "--type luks2 --cipher serpent-xts-plain64 --key-size 512" ;;
    luks1-aes-cbc) echo "--type luks1 --cipher aes-cbc-essiv:sha256 --key-size 256" ;;
    esac
}
volume_keyslots() {
    case $1 in mixed | mixed-prefer) echo "0 1" ;; *) echo 0 ;; esac
}

# keyfile VOLUME SLOT: a file (guest tmpfs) holding the passphrase of that keyslot (test data,
# never on a command line); prints its path.
keyfile() {
    (umask 077 && printf "%s-%s-%s" "$LAB_PASSPHRASE" "$1" "$2" >"/tmp/key-$1-$2")
    echo "/tmp/key-$1-$2"
}

# slice_of VOLUME: its piece of /dev/vda, attached to a loop device.
slice_of() {
    _i=0
    for _v in $VOLUMES; do
        [ "$_v" = "$1" ] && { disk_slice "$_i" 32; return; }
        _i=$((_i + 1))
    done
    fail "unknown volume $1"
}

make_volume() {
    _dev=$(slice_of "$1")
    _k0=$(keyfile "$1" 0)
    # shellcheck disable=SC2046,SC2086  # option lists
    expect_success cryptsetup luksFormat --batch-mode $LAB_FAST_PBKDF \
        --key-file "$_k0" $(volume_options "$1") "$_dev"
    if [ "$(volume_keyslots "$1")" = "0 1" ]; then
        # shellcheck disable=SC2086
        expect_success cryptsetup luksAddKey --batch-mode $LAB_FAST_PBKDF \
            --keyslot-cipher aes-xts-plain64 --keyslot-key-size 512 --key-file "$_k0" \
            "$_dev" "$(keyfile "$1" 1)"
        [ "$1" != mixed-prefer ] ||
            expect_success cryptsetup config --priority prefer --key-slot 1 "$_dev"
    fi
    expect_success cryptsetup open --key-file "$_k0" "$_dev" matrix-make
    write_pattern /dev/mapper/matrix-make "$LAB_PATTERN_SEED-$1" 1
    expect_success cryptsetup close matrix-make
    rm -f /tmp/key-"$1"-*
    losetup -d "$_dev"
}

# tried_until JSON SLOT: the keyslots unlocking without a named keyslot tries up to SLOT, in
# order ("boot_order" of check --json); all of them when SLOT is not tried.
tried_until() {
    for _t in $(compact "$1" | sed -nE 's/.*"boot_order":\[([0-9,]*)\].*/\1/p' | tr ',' ' '); do
        echo "$_t"
        [ "$_t" != "$2" ] || return 0
    done
}

# temp_expected JSON SLOT: yes when a keyslot tried before SLOT, or SLOT itself, is predicted to
# be processed through a temporary dm-crypt mapping: the search decrypts every keyslot it tries
# with this key until one opens, so an earlier keyslot's way shows up too.
temp_expected() {
    for _t in $(tried_until "$1" "$2"); do
        case $(unlock_prediction "$1" unlock "$_t") in *" dm-crypt") echo yes; return ;; esac
    done
    echo no
}

DISAGREE=0
# cell_volume VOLUME: one row per keyslot key.
cell_volume() {
    _dev=$(slice_of "$1")
    capture luksfit check --json "$_dev"
    _json=$OUT
    for _s in $(volume_keyslots "$1"); do
        _pred=$(unlock_prediction "$_json" unlock "$_s")
        [ -n "$_pred" ] || _pred="none"
        _opens=${_pred% *}
        _ppath=${_pred#* }
        _want_temp=$(temp_expected "$_json" "$_s")
        # What boot does; --debug names the temporary dm-crypt mapping when one is used.
        _rc=0
        cryptsetup open --debug --key-file "$(keyfile "$1" "$_s")" "$_dev" matrix-cell \
            </dev/null >/tmp/open.log 2>&1 || _rc=$?
        _temp=no
        grep -E 'CRYPT-TEMP-|temporary-cryptsetup-' /tmp/open.log >/dev/null && _temp=yes
        if [ "$_rc" = 0 ]; then
            _slot=$(sed -nE 's/^Key slot ([0-9]+) unlocked\.$/\1/p' /tmp/open.log | tail -n1)
            _data=pattern-ok
            _want=$(pattern "$LAB_PATTERN_SEED-$1" 1 | sha256sum | cut -d' ' -f1)
            _got=$(dd if=/dev/mapper/matrix-cell bs=1M count=1 2>/dev/null | sha256sum |
                cut -d' ' -f1)
            [ "$_got" = "$_want" ] || _data=PATTERN-WRONG
            cryptsetup close matrix-cell || fail "cryptsetup close matrix-cell"
            _outcome="opens (keyslot ${_slot:-?}, $_data, temporary mapping $_temp, expected $_want_temp)"
        else
            # the message a user sees: the same open again, without --debug
            _err=$(cryptsetup open --key-file "/tmp/key-$1-$_s" "$_dev" matrix-cell \
                </dev/null 2>&1 | tail -n1 | cut -c1-90 || true)
            _outcome="fails (exit $_rc: $_err)"
        fi
        # Agreement: opens as predicted, the data is right, and a temporary dm-crypt mapping was
        # used exactly when this keyslot or one tried before it is predicted to need one.
        _agree=agree
        case $_opens/$_rc in
        true/0)
            [ "$_data" = pattern-ok ] || _agree=DISAGREE
            [ "$_temp" = "$_want_temp" ] || _agree=DISAGREE
            ;;
        false/0 | true/*) _agree=DISAGREE ;;
        false/*) ;;
        *) _agree=DISAGREE ;;
        esac
        # A keyslot luksfit harden rewrote opens wherever dm-crypt is (not a prediction: the
        # promise harden makes); the volumes before loaded the crypt target where it exists.
        if [ "$1" = hardened ] && [ "${LAB_MATRIX_HARDENED:-0}" = 1 ] && [ "$_rc" != 0 ] &&
            dmsetup targets 2>/dev/null | grep '^crypt ' >/dev/null; then
            _agree=DISAGREE
        fi
        [ "$_agree" = agree ] || DISAGREE=$((DISAGREE + 1))
        echo "matrix-row: $LAB_MATRIX_CELL | $1 | keyslot $_s | opens=$_opens via $_ppath | $_outcome | $_agree"
    done
    rm -f /tmp/open.log /tmp/key-"$1"-*
    losetup -d "$_dev"
}

# harden_volume: luksfit harden on "hardened" with keyslot 0's key, as check predicts.
harden_volume() {
    _dev=$(slice_of hardened)
    capture luksfit check --json "$_dev"
    _pred=$(unlock_prediction "$OUT" unlock 0)
    _before=$(dd if="$_dev" bs=1M count=16 2>/dev/null | sha256sum | cut -d' ' -f1)
    capture luksfit harden "$_dev" --key-file "$(keyfile hardened 0)"
    _after=$(dd if="$_dev" bs=1M count=16 2>/dev/null | sha256sum | cut -d' ' -f1)
    case $_pred/$RC in
    "true "*/0)
        assert_line "$OUT" '^  keyslot 0: aes-xts-plain64/512 +rewritten$' "harden"
        echo "matrix-harden: $LAB_MATRIX_CELL | predicted opens ($_pred) | rewritten"
        ;;
    "true "*/*) fail "check predicted keyslot 0 opens here ($_pred); harden failed ($RC)" ;;
    */0) fail "check predicted keyslot 0 does not open here ($_pred); harden succeeded" ;;
    *)
        assert_eq "$_after" "$_before" "the header after a refused harden"
        assert_contains "$OUT" "harden on a kernel that still has AF_ALG" "harden's hint"
        case $(cryptsetup --version) in
        *" 2."[0-7].* | *" 2.8."[0-6] | *" 2.8."[0-6][!0-9]*)
            assert_contains "$OUT" "as root with cryptsetup 2.8.7 or later" "harden's hint" ;;
        esac
        echo "matrix-harden: $LAB_MATRIX_CELL | predicted ${_pred:-none} | refused (exit $RC), header unchanged"
        ;;
    esac
    rm -f /tmp/key-hardened-*
    losetup -d "$_dev"
}

case ${LAB_MATRIX_PHASE:?} in
make)
    for v in $VOLUMES; do
        step "make $v"
        make_volume "$v"
    done
    ;;
harden)
    step "harden in $LAB_MATRIX_CELL: $(cryptsetup --version)"
    harden_volume
    ;;
cell)
    step "cell $LAB_MATRIX_CELL: $(cryptsetup --version)"
    for v in $VOLUMES; do cell_volume "$v"; done
    assert_eq "$(dmsetup ls 2>/dev/null | grep -c '^temporary-cryptsetup-' || true)" 0 \
        "temporary mappings left"
    [ "$DISAGREE" = 0 ] || fail "$DISAGREE prediction(s) disagree with cryptsetup in $LAB_MATRIX_CELL"
    ok "every prediction in $LAB_MATRIX_CELL agrees with cryptsetup"
    ;;
esac
