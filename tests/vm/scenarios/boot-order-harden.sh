# shellcheck shell=sh
# Story "harden-boot-order", boot 1 (stock): seven Twofish LUKS2 volumes on 6 MiB pieces of
# /dev/vda. cryptsetup's default keyslot encryption is the data cipher, so every keyslot needs
# AF_ALG, unless made otherwise. The key luksfit hardens, k1, sits first, in the middle or last
# in the header's JSON keyslot order, among keyslots of other keys (k2, k3) that stay at risk,
# some with priority prefer or ignore. luksfit check predicts the boot search (no keyslot
# named), luksfit harden fixes and proves it; boot 2 (no-afalg) opens each volume as boot does.
# PBKDF2 with 1000 iterations only because argon2's defaults take long under TCG.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1
(umask 077; printf 'boot-order-1' >/tmp/k1; printf 'boot-order-2' >/tmp/k2
 printf 'boot-order-3' >/tmp/k3)

# volume PIECE KEY SLOT : formats piece PIECE (sets DEV) with KEY in keyslot SLOT and writes
# the piece's pattern.
volume() {
    DEV=$(disk_slice "$1" 6)
    # shellcheck disable=SC2086  # LAB_FAST_PBKDF is a list of options
    cryptsetup luksFormat --batch-mode --type luks2 $LAB_FAST_PBKDF --cipher twofish-xts-plain64 \
        --key-size 512 --luks2-metadata-size 16k --luks2-keyslots-size 2m --key-slot "$3" \
        --key-file "/tmp/$2" "$DEV" 2>/dev/null || fail "luksFormat piece $1"
    cryptsetup open --key-file "/tmp/$2" "$DEV" bo || fail "open piece $1"
    write_pattern /dev/mapper/bo "$LAB_PATTERN_SEED-$1" 1
    cryptsetup close bo
}

# add KEY SLOT BY [OPTIONS...] : adds KEY to $DEV in keyslot SLOT, unlocked with key BY.
add() {
    _key=$1 _slot=$2 _by=$3
    shift 3
    # shellcheck disable=SC2086
    cryptsetup luksAddKey --batch-mode $LAB_FAST_PBKDF --key-file "/tmp/$_by" \
        --key-slot "$_slot" "$@" "$DEV" "/tmp/$_key" || fail "add $_key in keyslot $_slot"
}

# harden_k1 DEVICE KEYSLOT : luksfit harden with k1, which must end verified in KEYSLOT.
harden_k1() {
    expect_status 0 luksfit harden "$1" --key-file /tmp/k1
    assert_line "$OUT" "^Boot unlock \(no keyslot named, no AF_ALG\): verified, the key opens keyslot $2\$" "harden $1"
}

step "layouts (keyslot: key, in header order)"
volume 0 k1 0; add k2 1 k1; P0=$DEV                      # 0:k1 1:k2
volume 1 k1 0; add k2 1 k1; P1=$DEV                      # 1:k2 0:k1 (0 removed, added again)
expect_success cryptsetup luksKillSlot --batch-mode "$P1" 0
DEV=$P1; add k1 0 k2
volume 2 k1 0; add k2 1 k1; add k3 2 k1; P2=$DEV         # 0:k1 1:k2 2:k3
volume 3 k2 0; add k3 1 k2; add k1 2 k2; P3=$DEV         # 0:k2 1:k3 2:k1
volume 4 k2 0; add k1 1 k2; add k3 2 k2; P4=$DEV         # 0:k2 (ignore) 1:k1 2:k3 (prefer)
expect_success cryptsetup config --priority ignore --key-slot 0 "$P4"
expect_success cryptsetup config --priority prefer --key-slot 2 "$P4"
volume 5 k2 0; add k1 1 k2 --keyslot-cipher aes-xts-plain64 --keyslot-key-size 512; P5=$DEV
volume 6 k2 0; add k1 1 k2 --keyslot-cipher aes-xts-plain64 --keyslot-key-size 512; P6=$DEV

step "check predicts the boot search before harden"
expect_status 0 luksfit check --json "$P1" "$P4" "$P5"
json=$(compact "$OUT")
assert_contains "$json" '"boot_order":[1,0],"findings"' "check $P1 (k1 last in the header)"
assert_contains "$json" '"priority":"ignore","boot_position":null' "check $P4 (keyslot 0)"
assert_contains "$json" '"boot_order":[2,1],"findings"' "check $P4 (prefer first, ignore never)"
assert_contains "$json" '"boot_order":[0,1],"findings":[{"severity":"warning","id":"keyslot-needs-afalg"' "check $P5"
assert_contains "$json" '"id":"keyslot-blocked-at-boot","message":"keyslot1(aes-xts-plain64)willnotunlockatbootonceAF_ALGisgone:' "check $P5"
assert_contains "$json" "cryptsetupconfig--priorityprefer--key-slot1$P5" "check $P5 remedy"

step "harden with k1: first or last of two or three keyslots"
harden_k1 "$P0" 0
assert_line "$OUT" '^  keyslot 0: aes-xts-plain64/512  rewritten$' "harden piece 0"
assert_line "$OUT" '^  keyslot 1: twofish-xts-plain64/512  at-risk$' "harden piece 0"
assert_line "$OUT" '^  keyslot 0: normal -> prefer$' "harden piece 0"
harden_k1 "$P1" 0
harden_k1 "$P2" 0
harden_k1 "$P3" 2
assert_line "$OUT" '^  keyslot 2: normal -> prefer$' "harden piece 3"

step "k1 in the middle; an at-risk keyslot with prefer is demoted, one with ignore kept"
expect_status 0 luksfit harden --json "$P4" --key-file /tmp/k1
assert_contains "$(compact "$OUT")" '"priority_changes":[{"slot":1,"from":"normal","to":"prefer"},{"slot":2,"from":"prefer","to":"normal"}],"boot_slot":1' "harden --json piece 4"
assert_contains "$OUT" "keyslot 2: priority prefer -> normal (it needs AF_ALG" "harden --json piece 4 steps"
expect_success cryptsetup luksDump "$P4"
assert_eq "$(printf '%s\n' "$OUT" | sed -n 's/^[[:space:]]*Priority:[[:space:]]*//p' | tr '\n' ' ')" \
    "ignored preferred normal " "luksDump priorities of keyslots 0 1 2"

step "the key's keyslot is safe already but blocked: only its priority changes"
harden_k1 "$P5" 1
assert_contains "$OUT" "keyslot 1 (opened by this key) already opens without AF_ALG" "harden piece 5"
assert_line "$OUT" '^  keyslot 1: normal -> prefer$' "harden piece 5"
expect_status 0 luksfit check --json "$P5"
assert_not_contains "$(compact "$OUT")" '"id":"keyslot-blocked-at-boot"' "check $P5 after harden"
assert_contains "$(compact "$OUT")" '"boot_order":[1,0]' "check $P5 after harden"

for dev in "$P0" "$P1" "$P2" "$P3" "$P4" "$P5" "$P6"; do
    losetup -d "$dev"
done
dev=$(disk_slice 0 6)
expect_success blkid -o value -s UUID "$dev"
echo "lab-disk-uuid=$OUT"
losetup -d "$dev"
