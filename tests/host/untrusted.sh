#!/usr/bin/env bash
# Hostile disk contents (docs/threat-model.md). LUKS1 and LUKS2 headers whose UUID carries a
# crypttab line of its own (made with luks-craft.py, checksums recomputed: cryptsetup loads
# them): `crypttab --write` refuses with exit 4 and leaves the file byte for byte; check,
# udev-probe and crypttab never print the header's newline. Labels, subsystems and ciphers
# with terminal escapes, an ext4 label with one: check, udev-probe, format's refusal and its
# confirmation print them escaped, never an ESC byte; --json stays valid JSON. Names and key
# files with blanks or control characters given to crypttab: exit 1, file untouched. A mount
# point with an escape (a loop device): format's refusal shows it escaped. Needs root, loop.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd cryptsetup python3 jq cmp mkfs.ext4 script losetup mount blkid
[ -e /dev/loop-control ] || skip "no loop devices (/dev/loop-control)"
CRAFT="$(cd "$(dirname "$0")" && pwd)/luks-craft.py"
cd "$WORKDIR" || exit 1

EVIL_UUID='q\nevil /dev/sda /k luks\n#'          # luks-craft.py's escapes
EVIL_RAW=$'q\nevil /dev/sda /k luks\n#'          # the bytes in the header
EVIL_SHOWN='q\x0aevil /dev/sda /k luks\x0a#'     # what luksfit prints
RED=$'\e[31mred\e[0m'
RED_SHOWN='\x1b[31mred\x1b[0m'
ESCAPED_IN_MESSAGE='(.error.message | contains("\u001b") | not) and
	(.error.message | contains("\\x1b[31mred\\x1b[0m"))'

# No byte in luksfit's output that came raw from the disk: no C0 control but newline, no DEL,
# no C1 control, and no line the header smuggled in.
_clean_output() {
	local raw='[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]'
	! LC_ALL=C grep -qaP "$raw" "$WORKDIR/out" "$WORKDIR/err" &&
		! grep -qa '^evil' "$WORKDIR/out" "$WORKDIR/err"
}
expect_clean() { check "$1: no raw control byte or smuggled line in the output" _clean_output; }
_dump_has_esc() { cryptsetup luksDump "$1" 2>/dev/null | grep -qaF $'\e[31m'; }
# Every stdout line is one LUKSFIT_ property with a shell-safe value.
_udev_lines() { ! grep -qvE '^LUKSFIT_[A-Z_]+=[A-Za-z0-9._:-]+$' "$WORKDIR/out"; }

printf 'untrusted-passphrase' >key
chmod 600 key
fast=(--pbkdf-force-iterations 1000 --key-size 256 --cipher aes-xts-plain64)
truncate -s 32M luks1.img luks2.img label.img
cryptsetup luksFormat -q --type luks1 "${fast[@]}" luks1.img key >/dev/null 2>&1 ||
	skip "cryptsetup cannot format LUKS1 aes-xts-plain64 here"
cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 "${fast[@]}" luks2.img key >/dev/null 2>&1
cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 "${fast[@]}" label.img key >/dev/null 2>&1
printf '# crypttab\nroot UUID=11111111-2222-3333-4444-555555555555 none luks\n' >tab
cp tab tab.orig

# --- a UUID that is a crypttab line ---------------------------------------------------------
for v in luks1 luks2; do
	cp "$v.img" "$v-evil.img"
	python3 "$CRAFT" "$v-evil.img" uuid "$EVIL_UUID"
	img=$v-evil.img
	check "$v: cryptsetup loads the crafted header" \
		test "$(cryptsetup luksUUID "$img" 2>/dev/null)" = "$EVIL_RAW"

	run "$LUKSFIT" crypttab "$img" data --write --crypttab tab
	expect_rc "$v crypttab --write" 4
	expect_err "$v crypttab --write" "UUID '$EVIL_SHOWN' is not a UUID"
	expect_clean "$v crypttab --write"
	check "$v crypttab --write: file byte for byte" cmp -s tab tab.orig
	check "$v crypttab --write: no backup" test ! -e tab.luksfit-bak

	run "$LUKSFIT" crypttab "$img" data --crypttab tab
	expect_rc "$v crypttab" 4
	expect_no_out "$v crypttab"
	expect_clean "$v crypttab"
	run "$LUKSFIT" crypttab "$img" data --json --crypttab tab
	expect_json "$v crypttab --json" ".ok == false and .error.exit_code == 4"

	run "$LUKSFIT" check "$img"
	expect_rc "$v check" 4
	expect_out "$v check" "$EVIL_SHOWN"
	expect_clean "$v check"
	run "$LUKSFIT" check "$img" --json
	expect_rc "$v check --json" 4
	expect_json "$v check --json" '.ok == false and .error.exit_code == 4'

	run "$LUKSFIT" -v udev-probe "$img"
	expect_rc "$v udev-probe" 0
	check "$v udev-probe: only LUKSFIT_ lines" _udev_lines
	expect_out "$v udev-probe" "LUKSFIT_FINDINGS=header-invalid"
	expect_err "$v udev-probe" "$EVIL_SHOWN"
	expect_clean "$v udev-probe"
done
check "no crypttab line was ever written" cmp -s tab tab.orig

# --- labels, subsystems and ciphers with terminal escapes ----------------------------------
cryptsetup config label.img --label "$RED" --subsystem $'sub\nLUKSFIT_AUDIT=ok'
check "cryptsetup stored the label" sh -c "cryptsetup luksDump label.img | grep -qF '$RED'"
run "$LUKSFIT" check label.img
expect_rc "label: check" 0
expect_out "label: check" "$RED_SHOWN"
expect_clean "label: check"
run "$LUKSFIT" check label.img --json
expect_json "label: check --json" '.volumes[0].label == "\\x1b[31mred\\x1b[0m"'
expect_json "label: check --json" '.volumes[0].subsystem == "sub\\x0aLUKSFIT_AUDIT=ok"'
run "$LUKSFIT" udev-probe label.img
check "label: udev-probe only LUKSFIT_ lines" _udev_lines
check "label: udev-probe sets LUKSFIT_AUDIT once" test "$(grep -c '^LUKSFIT_AUDIT=' out)" -eq 1
run "$LUKSFIT" crypttab label.img data --crypttab tab
expect_rc "label: crypttab prints a line" 0
check "label: crypttab line" test "$OUT" = "data UUID=$(cryptsetup luksUUID label.img) none luks"

# Not UTF-8: escaped as well, and --json stays valid JSON.
cryptsetup config label.img --label $'\xff\xfe\xc2\x9b2J'
run "$LUKSFIT" check label.img --json
expect_rc "invalid UTF-8 label: check --json" 0
expect_json "invalid UTF-8 label: check --json" '.volumes[0].label == "\\xff\\xfe\\xc2\\x9b2J"'
run "$LUKSFIT" check label.img
expect_clean "invalid UTF-8 label: check"
run "$LUKSFIT" --json check $'nowhere-\xff.img'
expect_rc "path not UTF-8: check --json" 4
expect_json "path not UTF-8: check --json" '.ok == false and .error.exit_code == 4'

# A LUKS1 cipher mode and a LUKS2 segment/keyslot cipher with a newline and an escape.
cp luks1.img cipher1.img
python3 "$CRAFT" cipher1.img cipher-mode 'xts-plain64\n\x1b[31m'
cp luks2.img cipher2.img
python3 "$CRAFT" cipher2.img 'json:"encryption":"aes-xts-plain64"' \
	'"encryption":"aes-xts-plain64\\n\\u001b[31m"'
for img in cipher1.img cipher2.img; do
	check "$img: cryptsetup loads it, ESC included" _dump_has_esc "$img"
	run "$LUKSFIT" check "$img"
	expect_out "$img: check" 'xts-plain64\x0a\x1b[31m'
	expect_clean "$img: check"
	run "$LUKSFIT" udev-probe "$img"
	check "$img: udev-probe only LUKSFIT_ lines" _udev_lines
	expect_out "$img: udev-probe" "LUKSFIT_KEYSLOTS=1"
done
# (libcryptsetup reads a LUKS2 segment cipher up to the first blank: only the keyslot's shows.)
run "$LUKSFIT" udev-probe cipher1.img
expect_out "LUKS1 cipher mode: udev-probe" "LUKSFIT_CIPHER=aes-xts-plain64_x0a_x1b_31m"
# initramfs-modules reads the cipher through its own libcryptsetup handle: escaped there too.
run "$LUKSFIT" initramfs-modules cipher1.img --json
expect_rc "LUKS1 cipher mode: initramfs-modules" 1
expect_json "LUKS1 cipher mode: initramfs-modules" \
	'.error.message | contains("xts-plain64\\x0a\\x1b[31m")'

# --- a file-system label with an escape: format refuses, and asks, with it escaped ----------
truncate -s 64M ext4.img
mkfs.ext4 -q -L "$RED" ext4.img
run "$LUKSFIT" format ext4.img --key-file key --yes
expect_rc "ext4 label: format refuses" 6
expect_err "ext4 label: format refuses" "labelled '$RED_SHOWN'"
expect_clean "ext4 label: format refuses"
run "$LUKSFIT" format ext4.img --key-file key --yes --json
expect_json "ext4 label: format --json" '.ok == false and .error.exit_code == 6'
# JSON would carry an ESC as \u001b; the label arrives escaped where libblkid read it.
expect_json "ext4 label: format --json" "$ESCAPED_IN_MESSAGE"
# With --force and no --yes it asks on the terminal (a pty from script(1)); "no" is refused.
run timeout 120 script -qec "'$LUKSFIT' format ext4.img --force --key-file key --pbkdf pbkdf2 \
	--pbkdf-force-iterations 1000" /dev/null <<<"no"
expect_out "ext4 label: confirmation" "blkid found: ext4 filesystem labelled '$RED_SHOWN'"
expect_out "ext4 label: confirmation" "not confirmed; nothing was written"
check "ext4 label: confirmation shows no ESC from the label" sh -c "! grep -qaF '$RED' out"
check "ext4 label: still ext4" test "$(blkid -o value -s TYPE ext4.img)" = ext4

# Mounted where udisks would mount it, on a directory named after the label: refused as
# mounted, the mount point escaped.
mnt="$WORKDIR/$RED"
mkdir "$mnt"
dev=$(losetup -f --show ext4.img) || skip "no free loop device"
on_cleanup "losetup -d '$dev' 2>/dev/null"
mount "$dev" "$mnt"
on_cleanup "umount '$mnt' 2>/dev/null"
run "$LUKSFIT" format ext4.img --key-file key --yes --force
expect_rc "mount point: format refuses" 6
expect_err "mount point: format refuses" "is mounted on $WORKDIR/$RED_SHOWN"
expect_clean "mount point: format refuses"
run "$LUKSFIT" format ext4.img --key-file key --yes --force --json
expect_json "mount point: format --json" "$ESCAPED_IN_MESSAGE"
umount "$mnt"
losetup -d "$dev"
check "mount point: loop device detached" sh -c "! losetup -j ext4.img | grep -q ."

# --- names and key files the user gives -----------------------------------------------------
for name in 'da ta' $'da\tta' $'da\nta' $'da\x1bta' $'da\x7fta' $'da\xfft'; do
	shown=$(printf '%q' "$name")
	run "$LUKSFIT" crypttab luks2.img "$name" --write --crypttab tab
	expect_rc "name $shown" 1
	expect_err "name $shown" "invalid name"
	expect_clean "name $shown"
done
for file in '/etc/my key' $'/etc/k\tey' $'/etc/k\ney' $'/etc/k\x1bey' $'/etc/k\vey'; do
	shown=$(printf '%q' "$file")
	run "$LUKSFIT" crypttab luks2.img data --key-file "$file" --write --crypttab tab
	expect_rc "key file $shown" 1
	expect_err "key file $shown" "invalid key file"
	expect_clean "key file $shown"
done
check "no line written for bad names or key files" cmp -s tab tab.orig
check "no backup made" test ! -e tab.luksfit-bak

finish
