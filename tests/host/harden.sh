#!/usr/bin/env bash
# luksfit harden on this host (no AF_ALG, no dm-crypt): an AES-XTS volume needs nothing and is
# not touched; LUKS1 gets the explanation and the convert command; perf flags are refused
# where dm-crypt's support cannot be established. The rewrite itself runs in the lab (vm).
. "$(dirname "$0")/lib.sh"
need_cmd jq cryptsetup md5sum

cd "$WORKDIR"
printf 'harden-passphrase' >key
chmod 600 key
fast=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
truncate -s 32M xts.img luks1.img plain.img
cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 512 "${fast[@]}" \
	xts.img key >/dev/null 2>&1 || skip "cryptsetup cannot format aes-xts-plain64 here"
cryptsetup luksFormat -q --type luks1 --cipher aes-xts-plain64 --key-size 256 \
	--pbkdf-force-iterations 1000 luks1.img key >/dev/null 2>&1 || skip "cannot format LUKS1"
md5sum ./*.img >before.md5

run "$LUKSFIT" harden xts.img --json
expect_rc "harden of an aes-xts volume" 0
expect_json "harden of an aes-xts volume" '.harden.keyslots == [{"slot":0,"encryption":"aes-xts-plain64","key_bits":512,"state":"safe","fix":null,"priority":"normal"}]'
expect_json "harden of an aes-xts volume" '.harden.steps[0] | test("nothing to do")'
expect_json "harden of an aes-xts volume" '.harden.key_slot == null'

run "$LUKSFIT" harden luks1.img
expect_rc "harden of LUKS1" 7
expect_err "harden of LUKS1" "LUKS1: its keyslots are always encrypted with the data cipher"
expect_err "harden of LUKS1" "cryptsetup convert --type luks2 luks1.img"

run "$LUKSFIT" harden plain.img
expect_rc "harden of a non-LUKS file" 4
expect_err "harden of a non-LUKS file" "not a LUKS volume"

run "$LUKSFIT" harden xts.img --persist-perf-flags --key-file key
expect_rc "perf flags without a known dm-crypt" 7
expect_err "perf flags without a known dm-crypt" "dm-crypt version unknown"

run "$LUKSFIT" harden xts.img --key-slot 40
expect_rc "key slot out of range" 1

run "$LUKSFIT" harden
expect_rc "no target" 1

check "nothing was written (md5 before/after)" md5sum --quiet -c before.md5

finish
