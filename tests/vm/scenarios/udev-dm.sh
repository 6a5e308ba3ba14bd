# shellcheck shell=sh
# stock: udev/61-luksfit.rules with the real udev rules engine on device-mapper devices. One
# LUKS2 image on a loop device, and over it, with dmsetup, linear mappings that blkid sees as
# crypto_LUKS: (a) an ordinary one, which gets the LUKSFIT_* properties; cryptsetup's temporary
# mappings, which must not: (b) temporary-cryptsetup-N with a CRYPT-TEMP- UUID (LUKS2 keyslot
# processing without AF_ALG, cryptsetup 2.8.7+), (b2) temporary-cryptsetup-N without UUID (how
# older cryptsetup made them for LUKS1), (c) an ordinary name with a CRYPT-TEMP- UUID; and
# devices that are not ready: (d) suspended, (e) created with its table loaded, never resumed;
# (f) one flagged DM_NOSCAN (LVM's private layers).
#
# Why udevd runs here: Debian's dm rules (dmsetup's 55-dm.rules, lvm2's 10-dm.rules) treat an
# "add" event of a dm device as the genuine one (created, not ready: every other rule disabled)
# unless the udev database says libdevmapper activated the device through udev before
# (DM_UDEV_PRIMARY_SOURCE_FLAG=1, set from the cookie of the resume's "change" event). So
# `udevadm test --action=add` alone would see every dm device as not ready. With udevd running,
# dmsetup activates with udev synchronisation (cookies, 95-dm-notify.rules), the daemon
# processes the genuine events with the rules (checked with `udevadm info`), and
# `udevadm test --action=add` is then the coldplug event (`udevadm trigger` at boot).
# The rules: the build's 61-luksfit.rules pointed at the guest's luksfit, the host's
# 60-persistent-storage*.rules (blkid import) and dm rules, shipped with `lab.sh run --file`.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

RULES_DIR=/lib/udev/rules.d
rules_in=/lab/udev/61-luksfit.rules
command -v udevadm >/dev/null || fail "no udevadm in the guest (run --bin /usr/bin/udevadm)"
[ -f "$rules_in" ] || fail "no $rules_in (run --file)"
[ -f "$RULES_DIR/60-persistent-storage.rules" ] || fail "no $RULES_DIR/60-persistent-storage.rules"
ls "$RULES_DIR"/*dm*.rules >/dev/null || fail "no dm rules in $RULES_DIR"

state() {
    echo "dm: $(dmsetup ls 2>&1 | tr '\n' ' ')"
    echo "loop: $(losetup -a | tr '\n' ' ')"
    echo "dm block devices: $(dm_block_devices)"
}
# dm_block_devices: the dm-N devices the kernel has, on one line
dm_block_devices() {
    for _d in /sys/block/dm-*; do [ -e "$_d" ] && printf '%s ' "${_d##*/}"; done
    echo
}

step "udev in the guest: rules, udevd"
echo "rules: $(cd "$RULES_DIR" && echo *)"
mkdir -p /etc/udev/rules.d /run/udev
# The installed rules file runs the installed luksfit; here it runs the guest's.
# shellcheck disable=SC2016  # $devnode is udev's
installed=$(sed -n 's/^IMPORT{program}="\([^ ]*\) udev-probe \$devnode"$/\1/p' "$rules_in")
case $installed in /*/luksfit) ok "rules file runs $installed" ;; *) fail "rules file's IMPORT: '$installed'" ;; esac
luksfit_bin=$(command -v luksfit)
sed "s|^IMPORT{program}=\"$installed |IMPORT{program}=\"$luksfit_bin |" "$rules_in" \
    >"$RULES_DIR/61-luksfit.rules"
assert_contains "$(cat "$RULES_DIR/61-luksfit.rules")" "\"$luksfit_bin udev-probe \$devnode\"" \
    "guest rules file"
# The dm rules run /sbin/dmsetup (udevflags, udevcomplete).
[ -e /sbin/dmsetup ] || ln -s "$(command -v dmsetup)" /sbin/dmsetup
# udevadm is udevd when called systemd-udevd (one binary since systemd 247).
ln -sf "$(command -v udevadm)" /tmp/systemd-udevd
unset DM_DISABLE_UDEV
# (its own stdio: the forked daemon would keep a capture's pipe open)
/tmp/systemd-udevd --daemon --resolve-names=never </dev/null >/tmp/udevd.log 2>&1 ||
    { cat /tmp/udevd.log; fail "systemd-udevd --daemon"; }
i=0
while [ ! -e /run/udev/control ]; do
    i=$((i + 1))
    [ $i -lt 100 ] || fail "udevd did not create /run/udev/control"
    sleep 0.1
done
ok "udevd is running"
expect_success modprobe dm_mod

step "a LUKS2 image on a loop device"
before=$(state)
echo "$before"
keyfile=/tmp/lab.key
printf '%s' "$LAB_PASSPHRASE" >"$keyfile"
loop=$(make_loop_file 32)
# shellcheck disable=SC2086
expect_success cryptsetup luksFormat --batch-mode --type luks2 $LAB_FAST_PBKDF \
    --key-file "$keyfile" "$loop"
sectors=$(blockdev --getsz "$loop")
table="0 $sectors linear $loop 0"

step "device-mapper devices over it (dmsetup, udev synchronisation)"
expect_success dmsetup create luksfit-udev-plain --table "$table"
expect_success dmsetup create temporary-cryptsetup-4242 --uuid CRYPT-TEMP-luksfit-udev-b \
    --table "$table"
expect_success dmsetup create temporary-cryptsetup-4343 --table "$table"
expect_success dmsetup create luksfit-udev-temp-uuid --uuid CRYPT-TEMP-luksfit-udev-c \
    --table "$table"
expect_success dmsetup create luksfit-udev-suspended --table "$table"
expect_success dmsetup suspend luksfit-udev-suspended
expect_success dmsetup create luksfit-udev-unresumed --notable
expect_success dmsetup load luksfit-udev-unresumed --table "$table"
expect_success udevadm settle --timeout=30
expect_success dmsetup info -c -o name,uuid,suspended,attr,minor
assert_line "$OUT" "^luksfit-udev-suspended .*Suspended" "the suspended device"
expect_success dmsetup table --inactive luksfit-udev-unresumed
assert_contains "$OUT" "linear" "the never resumed device's inactive table"

# dm_dev NAME: the kernel name (dm-N) of dm device NAME
dm_dev() {
    for _d in /sys/block/dm-*; do
        [ "$(cat "$_d/dm/name")" = "$1" ] && { echo "${_d##*/}"; return 0; }
    done
    fail "no dm device named $1"
}

# udev_test ACTION NAME: `udevadm test` on dm device NAME; its properties in $PROPS, its log in
# /tmp/udev-test.err (printed when it fails)
udev_test() {
    _dev=$(dm_dev "$2")
    echo "+ udevadm test --action=$1 /sys/class/block/$_dev  ($2)"
    _rc=0
    udevadm test --action="$1" "/sys/class/block/$_dev" >/tmp/udev-test.out \
        2>/tmp/udev-test.err </dev/null || _rc=$?
    # udevadm 252 prints KEY=value lines; 257 indents them under "Properties:"
    PROPS=$(sed -E 's/^  ([A-Z][A-Z0-9_]*=)/\1/' /tmp/udev-test.out | grep -E '^[A-Z.][A-Z0-9_]*=' || true)
    printf '%s\n' "$PROPS" | grep -E '^(DM_NAME|DM_UUID|DM_SUSPENDED|DM_UDEV_DISABLE_OTHER_RULES_FLAG|DM_UDEV_PRIMARY_SOURCE_FLAG|ID_FS_TYPE|LUKSFIT_[A-Z_]*)=' |
        sed 's/^/  > /' || true
    if [ "$_rc" != 0 ]; then
        sed 's/^/  | /' /tmp/udev-test.err | tail -n 40
        fail "udevadm test --action=$1 $_dev ($2) exited $_rc"
    fi
}

# expect_luksfit WHAT: $PROPS has the LUKSFIT_* properties of the image
expect_luksfit() {
    assert_line "$PROPS" "^ID_FS_TYPE=crypto_LUKS$" "$1"
    assert_line "$PROPS" "^LUKSFIT_LUKS_VERSION=2$" "$1"
    assert_line "$PROPS" "^LUKSFIT_KEYSLOTS=1$" "$1"
    assert_line "$PROPS" "^LUKSFIT_AUDIT=" "$1"
}

# expect_no_luksfit WHAT: no LUKSFIT_* property, and the rule did not start luksfit
expect_no_luksfit() {
    assert_not_contains "$PROPS" "LUKSFIT_" "$1"
    if grep -F "udev-probe" /tmp/udev-test.err >/dev/null; then
        grep -F "udev-probe" /tmp/udev-test.err | sed 's/^/  | /'
        fail "$1: the rule ran luksfit udev-probe"
    fi
    ok "$1: luksfit was not run"
}

step "what udevd made of the genuine events (udevadm info)"
for name in luksfit-udev-plain temporary-cryptsetup-4242 temporary-cryptsetup-4343 \
    luksfit-udev-temp-uuid; do
    expect_success udevadm info --query=property --name="/dev/$(dm_dev "$name")"
    case $name in
    luksfit-udev-plain)
        assert_line "$OUT" "^LUKSFIT_LUKS_VERSION=2$" "udevd, (a) $name"
        assert_line "$OUT" "^DM_UDEV_PRIMARY_SOURCE_FLAG=1$" "udevd, (a) $name"
        ;;
    *)
        # blkid saw the LUKS header: only the new rule lines keep luksfit away
        assert_line "$OUT" "^ID_FS_TYPE=crypto_LUKS$" "udevd, $name"
        assert_not_contains "$OUT" "LUKSFIT_" "udevd, $name"
        ;;
    esac
done

for action in add change; do
    step "udevadm test --action=$action"
    udev_test "$action" luksfit-udev-plain
    assert_contains "$(cat /tmp/udev-test.err)" "$luksfit_bin udev-probe /dev/" "(a) the rule's import"
    expect_luksfit "(a) ordinary mapping, $action"
    for name in temporary-cryptsetup-4242 temporary-cryptsetup-4343 luksfit-udev-temp-uuid; do
        udev_test "$action" "$name"
        assert_line "$PROPS" "^ID_FS_TYPE=crypto_LUKS$" "$name, $action"
        assert_not_contains "$PROPS" "DM_UDEV_DISABLE_OTHER_RULES_FLAG=1" "$name, $action"
        expect_no_luksfit "$name, $action"
    done
    udev_test "$action" luksfit-udev-suspended
    assert_line "$PROPS" "^DM_SUSPENDED=1$" "(d) suspended, $action"
    expect_no_luksfit "(d) suspended, $action"
    udev_test "$action" luksfit-udev-unresumed
    expect_no_luksfit "(e) never resumed, $action"
done

# Each of the two new lines is needed: without the name test, (b2) gets the properties; without
# the UUID test, (c) does; (b) has both marks.
step "control: the rules file without one of its temporary-mapping tests"
cp "$RULES_DIR/61-luksfit.rules" /tmp/61-luksfit.rules.full
grep -v '^ENV{DM_NAME}=="temporary-cryptsetup-' /tmp/61-luksfit.rules.full \
    >"$RULES_DIR/61-luksfit.rules"
udev_test change temporary-cryptsetup-4343
expect_luksfit "control: (b2) temporary-cryptsetup-4343 without the name test"
udev_test change temporary-cryptsetup-4242
expect_no_luksfit "control: (b) temporary-cryptsetup-4242 without the name test"
grep -v '^ENV{DM_UUID}=="CRYPT-TEMP-' /tmp/61-luksfit.rules.full >"$RULES_DIR/61-luksfit.rules"
udev_test change luksfit-udev-temp-uuid
expect_luksfit "control: (c) luksfit-udev-temp-uuid without the UUID test"
udev_test change temporary-cryptsetup-4242
expect_no_luksfit "control: (b) temporary-cryptsetup-4242 without the UUID test"
cp /tmp/61-luksfit.rules.full "$RULES_DIR/61-luksfit.rules"

# (f) LVM's no-scan flag and (e) the size-0 test decide only where ID_FS_TYPE survives: Debian's
# dm rules skip blkid for a DM_NOSCAN device and find nothing on a size-0 one, so luksfit's
# ID_FS_TYPE test ends them first. A rule set that keeps the last scan's properties (IMPORT{db})
# and flags neither device otherwise is modelled by a lab rules file after the dm rules; each of
# the two lines is then shown to be the one that keeps luksfit away.
step "(f) DM_NOSCAN and (e) size 0 with the last scan's ID_FS_TYPE kept"
expect_success dmsetup create luksfit-udev-noscan --table "$table"
expect_success udevadm settle --timeout=30
keep=$RULES_DIR/60-zz-lab-keep-fs-type.rules
cat >"$keep" <<'RULES'
ENV{DM_NAME}=="luksfit-udev-noscan", ENV{DM_NOSCAN}="1", ENV{ID_FS_TYPE}="crypto_LUKS"
ENV{DM_NAME}=="luksfit-udev-unresumed", ENV{DM_UDEV_DISABLE_OTHER_RULES_FLAG}="", ENV{DM_SUSPENDED}="", ENV{ID_FS_TYPE}="crypto_LUKS"
RULES
# probe_ran WHAT: the rule ran luksfit udev-probe (its output may be empty: size 0)
probe_ran() {
    grep -F "udev-probe" /tmp/udev-test.err >/dev/null || fail "$1: the rule did not run luksfit"
    ok "$1: luksfit udev-probe ran"
}
udev_test change luksfit-udev-noscan
assert_line "$PROPS" "^DM_NOSCAN=1$" "(f) no-scan"
expect_no_luksfit "(f) DM_NOSCAN=1 with ID_FS_TYPE kept"
udev_test change luksfit-udev-unresumed
assert_line "$PROPS" "^ID_FS_TYPE=crypto_LUKS$" "(e) size 0"
assert_not_contains "$PROPS" "DM_UDEV_DISABLE_OTHER_RULES_FLAG=1" "(e) size 0"
assert_eq "$(cat "/sys/class/block/$(dm_dev luksfit-udev-unresumed)/size")" 0 "(e) size"
expect_no_luksfit "(e) size 0 with ID_FS_TYPE kept"
grep -v '^ENV{DM_NOSCAN}=="1"' /tmp/61-luksfit.rules.full >"$RULES_DIR/61-luksfit.rules"
udev_test change luksfit-udev-noscan
expect_luksfit "control: (f) luksfit-udev-noscan without the DM_NOSCAN test"
grep -v '^ATTR{size}=="0"' /tmp/61-luksfit.rules.full >"$RULES_DIR/61-luksfit.rules"
udev_test change luksfit-udev-unresumed
probe_ran "control: (e) luksfit-udev-unresumed without the size test"
cp /tmp/61-luksfit.rules.full "$RULES_DIR/61-luksfit.rules"
rm -f "$keep"

step "clean up: every mapping, the loop device, udevd"
expect_success dmsetup resume luksfit-udev-suspended
for name in luksfit-udev-plain temporary-cryptsetup-4242 temporary-cryptsetup-4343 \
    luksfit-udev-temp-uuid luksfit-udev-suspended luksfit-udev-unresumed luksfit-udev-noscan; do
    expect_success dmsetup remove "$name"
done
expect_success udevadm settle --timeout=30
expect_success losetup -d "$loop"
expect_success udevadm control --exit
if [ -s /tmp/udevd.log ]; then echo "udevd said:"; sed 's/^/  | /' /tmp/udevd.log; fi
after=$(state)
echo "$after"
assert_eq "$after" "$before" "dm devices and loop devices after the test"
expect_success dmsetup ls
assert_contains "$OUT" "No devices found" "dmsetup ls"
assert_eq "$(dm_block_devices)" "" "dm block devices left"
assert_eq "$(losetup -a | wc -l)" 0 "loop devices left"
