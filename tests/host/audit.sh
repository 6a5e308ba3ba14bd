#!/usr/bin/env bash
# luksfit check TARGET...: audits image files made by the cryptsetup CLI (an independent peer):
# LUKS2 aes-xts, LUKS1, not LUKS, truncated, corrupted. Read-only: checksums before and after.
. "$(dirname "$0")/lib.sh"
need_cmd jq cryptsetup mkfs.ext4 md5sum

cd "$WORKDIR"
printf 'audit-passphrase' >key
chmod 600 key
fast=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
truncate -s 32M xts.img luks1.img ext4.img
cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 512 "${fast[@]}" \
	--label audit-label --sector-size 512 xts.img key >/dev/null 2>&1 ||
	skip "cryptsetup cannot format aes-xts-plain64 here"
cryptsetup luksFormat -q --type luks1 --cipher aes-cbc-essiv:sha256 --key-size 256 \
	--pbkdf-force-iterations 1000 luks1.img key >/dev/null 2>&1 ||
	skip "cryptsetup cannot format LUKS1 here"
mkfs.ext4 -q ext4.img
head -c 20000 xts.img >truncated-header.img
head -c 1048576 xts.img >truncated-data.img
cp xts.img corrupted.img
# Both LUKS2 binary headers (primary at 0, secondary at 16 KiB) get a damaged checksum area.
for off in 448 $((16384 + 448)); do
	printf 'luksfit-corruption-luksfit-corruption' | dd of=corrupted.img bs=1 seek=$off conv=notrunc status=none
done
printf 'not a volume at all' >garbage.img
# Keyslot order: 0 removed and added again goes after 1 and 2 in the header; 1 gets "ignore".
cp xts.img order.img
for slot in 1 2; do
	cryptsetup luksAddKey -q "${fast[@]}" --key-file key --key-slot $slot order.img key >/dev/null
done
cryptsetup luksKillSlot -q order.img 0 >/dev/null
cryptsetup luksAddKey -q "${fast[@]}" --key-file key --key-slot 0 order.img key >/dev/null
cryptsetup config --priority ignore --key-slot 1 order.img
md5sum ./*.img >before.md5

run "$LUKSFIT" check --json xts.img luks1.img ext4.img truncated-header.img truncated-data.img corrupted.img missing.img
expect_rc "audit, mixed targets" 0
expect_json "audit" '.volumes | length == 7'
expect_json "audit xts" '.volumes[0].readable and .volumes[0].version == 2 and .volumes[0].cipher == "aes-xts-plain64" and .volumes[0].key_bits == 512'
expect_json "audit xts" '.volumes[0].label == "audit-label" and .volumes[0].sector_size == 512 and (.volumes[0].uuid | length == 36)'
expect_json "audit xts" '.volumes[0].keyslots[0] | .slot == 0 and .pbkdf == "pbkdf2" and .hash == "sha256" and .iterations == 1000 and .encryption == "aes-xts-plain64" and .key_bits == 512'
expect_json "audit xts" '.volumes[0].keyslots_at_risk == []'
expect_json "audit xts" '[.volumes[0].findings[].id] | index("pbkdf2-weak") != null and index("sector-size-512") != null and index("keyslot-needs-afalg") == null'
expect_json "audit luks1" '.volumes[1].version == 1 and .volumes[1].cipher == "aes-cbc-essiv:sha256"'
expect_json "audit luks1" '[.volumes[1].findings[].id] | index("luks1") != null and index("pbkdf2-weak") != null'
expect_json "audit luks1" '.volumes[1].findings[] | select(.id == "luks1") | .remedy | test("cryptsetup convert --type luks2 luks1.img")'
expect_json "audit ext4" '.volumes[2].readable == false and (.volumes[2].error.message | test("not a LUKS volume"))'
expect_json "audit truncated header" '.volumes[3].readable == false and (.volumes[3].error.message | test("truncated"))'
expect_json "audit truncated data" '.volumes[4].readable == false and (.volumes[4].error.message | test("truncated: 1048576 bytes"))'
expect_json "audit corrupted" '.volumes[5].readable == false and (.volumes[5].error.message | test("corrupted LUKS2 header"))'
expect_json "audit missing" '.volumes[6].readable == false and (.volumes[6].error.message | test("No such file"))'

# The boot search (no keyslot named): prefer, then normal in header order, never ignore.
run "$LUKSFIT" check --json order.img
expect_rc "audit keyslot order" 0
expect_json "audit keyslot order" '.volumes[0].boot_order == [2, 0]'
expect_json "audit keyslot order" '[.volumes[0].keyslots[] | [.slot, .priority, .boot_position]] == [[0, "normal", 1], [1, "ignore", null], [2, "normal", 0]]'
expect_json "audit keyslot order" '[.volumes[0].keyslots[].boot_blocked_by] == [[], [], []]'
run "$LUKSFIT" check order.img
expect_out "audit keyslot order, human" "keyslot 1         pbkdf2-sha256, 1000 iterations; encryption aes-xts-plain64/512; priority ignore"
expect_out "audit keyslot order, human" "boot order        2, 0"

run "$LUKSFIT" check xts.img ext4.img
expect_rc "audit, human" 0
expect_out "audit, human" "Volume xts.img"
expect_out "audit, human" "keyslot 0         pbkdf2-sha256, 1000 iterations; encryption aes-xts-plain64/512"
expect_out "audit, human" "ext4.img: not a LUKS volume"

# --strict: exit 7 only for a volume with an error finding; warnings (weak PBKDF2) do not count.
run "$LUKSFIT" check --strict xts.img truncated-data.img
expect_rc "audit --strict, warnings only" 0

# No target readable: exit 4, with the reason.
run "$LUKSFIT" check ext4.img garbage.img
expect_rc "audit, nothing readable" 4
expect_err "audit, nothing readable" "no target could be read"
run "$LUKSFIT" check --json corrupted.img
expect_rc "audit --json, nothing readable" 4
expect_json "audit --json, nothing readable" '.ok == false and .error.kind == "wrong-device"'

# check never writes to a target.
check "targets unchanged (md5 before/after)" md5sum --quiet -c before.md5

# The images still open with the cryptsetup CLI's key check (nothing was damaged).
run cryptsetup open --test-passphrase --key-file key xts.img
expect_rc "cryptsetup still opens xts.img" 0

finish
