#!/usr/bin/env bash
# The udev rules file with the real udev rules engine: `udevadm test --action=add` on loop
# devices backed by LUKS images (made with the cryptsetup CLI) imports the LUKSFIT_* properties
# from `luksfit udev-probe`; an ext4 image gets none. The built rules file is used with its
# binary path pointed at the build tree, in a private mount namespace whose tmpfs /run/udev
# (rules.d, the udev database) and /dev/disk (the links udevadm test creates) vanish with it:
# nothing of the test stays on the host, even when udevd runs. Needs root and loop devices.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd udevadm unshare losetup cryptsetup mkfs.ext4 jq
rules=${LUKSFIT_UDEV_RULES:-}
if [ -z "$rules" ] || [ ! -f "$rules" ]; then
	skip "no built udev rules file ($rules): udev's pkg-config (udev.pc) was missing at setup"
fi
[ -f /lib/udev/rules.d/60-persistent-storage.rules ] ||
	skip "60-persistent-storage.rules (blkid import) is not installed (package udev)"
[ -e /dev/loop-control ] || skip "no loop devices (/dev/loop-control)"

cd "$WORKDIR"
loops_before=$(losetup -a | sort)
disk_before=$(find /dev/disk 2>/dev/null | sort || true)
run_udev_before=$(find /run/udev 2>/dev/null | sort || true)

# The installed rules file runs the installed binary; here it runs the build tree's.
# shellcheck disable=SC2016  # $devnode is udev's, matched as is
installed=$(sed -n 's/^IMPORT{program}="\([^ ]*\) udev-probe \$devnode"$/\1/p' "$rules")
check "rules file: IMPORT{program} runs an absolute .../luksfit" \
	sh -c "case '$installed' in /*/luksfit) true ;; *) false ;; esac"
# dm devices (no device-mapper on this kernel: the kernel lab's udev-dm runs these lines): the
# dm tests come after the non-dm devices have left for the probe, cryptsetup's temporary mappings
# are skipped by name and by UUID.
check "rules file: non-dm LUKS devices go straight to the probe" \
	grep -qxF 'KERNEL!="dm-[0-9]*", GOTO="luksfit_probe"' "$rules"
check "rules file: skips temporary-cryptsetup-* mappings" \
	grep -qxF 'ENV{DM_NAME}=="temporary-cryptsetup-?*", GOTO="luksfit_end"' "$rules"
check "rules file: skips CRYPT-TEMP-* mappings" \
	grep -qxF 'ENV{DM_UUID}=="CRYPT-TEMP-?*", GOTO="luksfit_end"' "$rules"
sed "s|^IMPORT{program}=\"$installed |IMPORT{program}=\"$LUKSFIT |" "$rules" >61-luksfit-test.rules
check "test rules file points at the build tree" grep -qF "\"$LUKSFIT udev-probe \$devnode\"" \
	61-luksfit-test.rules

printf 'udev-passphrase' >key
fast=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
truncate -s 32M xts.img weak.img luks1.img ext4.img
# aes-xts with argon2 (small, fast), 4096-byte sectors: nothing to advise.
cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 512 \
	--sector-size 4096 --pbkdf argon2id --pbkdf-memory 32 --pbkdf-force-iterations 4 \
	xts.img key >/dev/null 2>&1 ||
	skip "cryptsetup cannot format aes-xts-plain64 here"
# PBKDF2 with 1000 iterations: warning pbkdf2-weak, advice convert-key.
cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 256 \
	--sector-size 4096 "${fast[@]}" weak.img key >/dev/null 2>&1
# LUKS1 aes-cbc-essiv: its keyslots use the data cipher, which the policy's assumed rule
# (only AES-XTS surely in userspace) counts as needing AF_ALG: advice harden. (`check` probes
# and may find that this libcryptsetup does it in userspace; udev-probe never probes.)
cryptsetup luksFormat -q --type luks1 --cipher aes-cbc-essiv:sha256 --key-size 256 \
	--pbkdf-force-iterations 1000 luks1.img key >/dev/null 2>&1 ||
	skip "cryptsetup cannot format LUKS1 here"
mkfs.ext4 -q ext4.img

declare -A loop
for img in xts weak luks1 ext4; do
	dev=$(losetup -f --show "$img.img") || skip "no free loop device"
	on_cleanup "losetup -d '$dev'"
	loop[$img]=$dev
done

# udevadm test in a private mount namespace (see the top of this file).
cat >udevtest.sh <<'SH'
set -e
mount -t tmpfs luksfit-udev-test /run/udev
mkdir /run/udev/rules.d
cp "$1" /run/udev/rules.d/
mount -t tmpfs luksfit-udev-test /dev/disk
udevadm test --action=add "/sys/class/block/$2"
SH
made_dirs=()
for d in /run/udev /dev/disk; do
	[ -d "$d" ] && continue
	mkdir "$d" && made_dirs+=("$d") && on_cleanup "rmdir '$d'"
done

udev_test() { # IMAGE: udevadm test's stdout (the device's properties) in $WORKDIR/out
	run unshare --mount --propagation private bash udevtest.sh \
		"$WORKDIR/61-luksfit-test.rules" "$(basename "${loop[$1]}")"
	if [ "$RC" -ne 0 ] && grep -qE "^(mount|unshare):" "$WORKDIR/err"; then
		skip "cannot mount tmpfs in a private mount namespace here: $(head -n1 "$WORKDIR/err")"
	fi
	# udevadm 252 (bookworm) prints KEY=value lines; 257 (trixie) indents them by two spaces
	# under "Properties:". One form for the checks below.
	sed -i -E 's/^  ([A-Z][A-Z0-9_]*=)/\1/' "$WORKDIR/out"
	# udevadm 256 and later (trixie, unstable) run no IMPORT{program} in test mode: they say
	# "skipping execution of 'CMD'" instead. When it is exactly our rule's command, run it as
	# the udev worker would and import its KEY=value lines as udev does (appended).
	local cmd="$LUKSFIT udev-probe ${loop[$1]}"
	if grep -qF "Running in test mode, skipping execution of '$cmd'" "$WORKDIR/err"; then
		echo "note: this udevadm skips IMPORT{program} in test mode; importing '$cmd' here"
		"$LUKSFIT" udev-probe "${loop[$1]}" >>"$WORKDIR/out"
	fi
}
prop() { sed -n "s/^$1=//p" "$WORKDIR/out"; }
expect_prop() { # WHAT KEY VALUE
	local got
	got=$(prop "$2")
	check "$1: $2=$3 (got '$got')" test "$got" = "$3"
}

udev_test xts
expect_rc "udevadm test xts" 0
expect_prop "xts" ID_FS_TYPE crypto_LUKS
# (udevadm 262 quotes the command with " instead of '.)
check "xts: the rule imports from the build tree's luksfit" \
	grep -qF -e "Importing properties from results of '$LUKSFIT udev-probe" \
	-e "Importing properties from results of \"$LUKSFIT udev-probe" "$WORKDIR/err"
expect_prop "xts" LUKSFIT_LUKS_VERSION 2
expect_prop "xts" LUKSFIT_CIPHER aes-xts-plain64
expect_prop "xts" LUKSFIT_KEY_SIZE 512
expect_prop "xts" LUKSFIT_SECTOR_SIZE 4096
expect_prop "xts" LUKSFIT_KEYSLOTS 1
expect_prop "xts" LUKSFIT_KEYSLOTS_WITHOUT_AFALG 1
expect_prop "xts" LUKSFIT_AUDIT ok
check "xts: no advice" test -z "$(prop LUKSFIT_ADVICE)"

udev_test weak
expect_rc "udevadm test weak" 0
expect_prop "weak" LUKSFIT_KEY_SIZE 256
expect_prop "weak" LUKSFIT_KEYSLOTS_WITHOUT_AFALG 1
expect_prop "weak" LUKSFIT_AUDIT warning
expect_prop "weak" LUKSFIT_FINDINGS pbkdf2-weak
expect_prop "weak" LUKSFIT_ADVICE convert-key

udev_test luks1
expect_rc "udevadm test luks1" 0
expect_prop "luks1" LUKSFIT_LUKS_VERSION 1
expect_prop "luks1" LUKSFIT_CIPHER aes-cbc-essiv:sha256
expect_prop "luks1" LUKSFIT_SECTOR_SIZE 512
expect_prop "luks1" LUKSFIT_KEYSLOTS_WITHOUT_AFALG 0
expect_prop "luks1" LUKSFIT_ADVICE harden
check "luks1: findings name the keyslot and LUKS1" \
	sh -c "sed -n 's/^LUKSFIT_FINDINGS=//p' '$WORKDIR/out' | grep -q 'keyslot-needs-afalg.*luks1'"

udev_test ext4
expect_rc "udevadm test ext4" 0
expect_prop "ext4" ID_FS_TYPE ext4
check "ext4: no LUKSFIT_ property" test "$(grep -c '^LUKSFIT_' "$WORKDIR/out")" -eq 0
check "ext4: the rule did not run luksfit" test "$(grep -c 'udev-probe' "$WORKDIR/err")" -eq 0

# The program itself: shell-safe values, nothing for non-LUKS, one JSON document.
run "$LUKSFIT" udev-probe "${loop[xts]}"
expect_rc "udev-probe xts" 0
check "udev-probe: every line is LUKSFIT_KEY=[A-Za-z0-9._:-]+" \
	test "$(grep -cvE '^LUKSFIT_[A-Z0-9_]+=[A-Za-z0-9._:-]+$' "$WORKDIR/out")" -eq 0
run "$LUKSFIT" udev-probe "${loop[ext4]}"
expect_rc "udev-probe ext4" 0
expect_no_out "udev-probe ext4"
expect_no_err "udev-probe ext4"
run "$LUKSFIT" udev-probe /dev/luksfit-no-such-device
expect_rc "udev-probe missing device" 0
expect_no_out "udev-probe missing device"
run "$LUKSFIT" -v udev-probe /dev/luksfit-no-such-device
expect_err "udev-probe -v missing device" "luksfit-no-such-device"
run "$LUKSFIT" udev-probe --json "${loop[luks1]}"
expect_json "udev-probe --json" '.luks == true and .properties.LUKSFIT_ADVICE == "harden" and .properties.LUKSFIT_LUKS_VERSION == "1"'

# Nothing left behind: loop devices, /dev/disk links, /run/udev (rules file, database).
for dev in "${loop[@]}"; do losetup -d "$dev"; done
for d in "${made_dirs[@]}"; do rmdir "$d"; done
CLEANUP_CMDS=()
check "no loop device left" test "$(losetup -a | sort)" = "$loops_before"
check "/dev/disk as before" test "$(find /dev/disk 2>/dev/null | sort || true)" = "$disk_before"
check "/run/udev as before" test "$(find /run/udev 2>/dev/null | sort || true)" = "$run_udev_before"
finish
