#!/usr/bin/env bash
# format on image files (libcryptsetup's userspace keyslot path: no AF_ALG, no dm-crypt here),
# every refusal, bad input, --dry-run, JSON, concurrency and SIGINT.
. "$(dirname "$0")/lib.sh"
need_cmd jq cryptsetup mkfs.ext4 sha256sum
MK="$LUKSFIT_SOURCE_ROOT/images/make-image.sh"
FAST=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
export TMPDIR="$WORKDIR/tmp"
mkdir -p "$TMPDIR"
KEY="$WORKDIR/key"
printf 'luksfit-test' >"$KEY"
chmod 600 "$KEY"
no_leftovers() { check "$1: no test image left in TMPDIR" test -z "$(ls -A "$TMPDIR")"; }

img="$WORKDIR/vol.img"
"$LUKSFIT" image create "$img" --size 64M >/dev/null

# --dry-run: the plan and the cryptsetup commands, nothing written.
before=$(sha256sum <"$img")
run "$LUKSFIT" format "$img" --dry-run "${FAST[@]}" --key-file "$KEY"
expect_rc "dry run" 0
expect_out "dry run" "cryptsetup luksFormat --type luks2 --cipher aes-xts-plain64 --key-size 512 --sector-size 4096"
expect_out "dry run" "nothing was written"
check "dry run wrote nothing" test "$(sha256sum <"$img")" = "$before"
run "$LUKSFIT" format "$img" --dry-run --json --cipher serpent-xts-plain64
expect_json "dry run json" '.dry_run == true and .parameters.keyslot_fallback == true and .parameters.keyslot_cipher == "aes-xts-plain64" and (.cryptsetup[0] | test("--keyslot-cipher aes-xts-plain64 --keyslot-key-size 512"))'

# No terminal and no --yes: refused, untouched.
run "$LUKSFIT" format "$img" "${FAST[@]}" --key-file "$KEY" </dev/null
expect_rc "no --yes without a terminal" 6
expect_err "no --yes without a terminal" "pass --yes"
check "unconfirmed format wrote nothing" test "$(sha256sum <"$img")" = "$before"
no_leftovers "unconfirmed"

# The real thing, checked by the cryptsetup CLI as an independent peer.
run "$LUKSFIT" format "$img" "${FAST[@]}" --key-file "$KEY" --yes --json
expect_rc "format image" 0
expect_json "format json" '.ok and (.uuid | length) == 36 and .keyslots[0].cipher == "aes-xts-plain64" and .validation.data_path_tested == false'
uuid=$(jq -r .uuid "$WORKDIR/out")
check "cryptsetup sees the UUID" test "$(cryptsetup luksUUID "$img")" = "$uuid"
check "cryptsetup unlocks with the key" cryptsetup open --test-passphrase --key-file "$KEY" "$img"
check "luksDump: sector 4096" sh -c "cryptsetup luksDump '$img' | grep -q 'sector: 4096'"
if ! grep -q ' device-mapper$' /proc/misc; then
	# No device-mapper here: the dm-crypt target version is unknown, so no flag is stored (a
	# flag the target does not know would make every activation fail), and the output says so.
	expect_json "format json: no perf flags" '.parameters.perf_flags == [] and .persistent_flags == [] and (.parameters.perf_flags_reason | test("dm-crypt target version is unknown here \\(no device-mapper"))'
	check "luksDump: no persistent flags" sh -c "cryptsetup luksDump '$img' | grep -q '^Flags:[[:space:]]*(no flags)'"
fi
no_leftovers "format"

# Formatted again without --force: refused.
run "$LUKSFIT" format "$img" "${FAST[@]}" --key-file "$KEY" --yes
expect_rc "LUKS again without --force" 6
expect_err "LUKS again without --force" "crypto_LUKS"

# Bad targets.
run "$LUKSFIT" format "$WORKDIR/nope" --yes --key-file "$KEY"
expect_rc "nonexistent" 4
expect_err "nonexistent" "does not exist"
run "$LUKSFIT" format "$WORKDIR" --yes --key-file "$KEY"
expect_rc "directory" 4
expect_err "directory" "is a directory"
run "$LUKSFIT" format /dev/null --yes --key-file "$KEY"
expect_rc "character device" 4
expect_err "character device" "character device"
for kind in ext4 truncated corrupted-header luks1; do
	"$MK" "$kind" "$WORKDIR/$kind.img"
	run "$LUKSFIT" format "$WORKDIR/$kind.img" "${FAST[@]}" --key-file "$KEY" --yes
	expect_rc "$kind" 6
	expect_err "$kind" "holds data"
done
"$MK" empty "$WORKDIR/small.img" >/dev/null
truncate -s 4M "$WORKDIR/small.img"
run "$LUKSFIT" format "$WORKDIR/small.img" "${FAST[@]}" --key-file "$KEY" --yes
expect_rc "too small" 4
expect_err "too small" "too small"

# Unsafe parameters: exit 1 with the reason, before anything happens.
fresh="$WORKDIR/fresh.img"
"$LUKSFIT" image create "$fresh" --size 64M >/dev/null
run "$LUKSFIT" format "$fresh" --cipher aes-ecb --key-size 256 --yes --key-file "$KEY"
expect_rc "ECB" 1
expect_err "ECB" "ECB mode"
run "$LUKSFIT" format "$fresh" --cipher des3_ede-cbc-essiv:sha256 --key-size 192 --yes --key-file "$KEY" --json
expect_rc "64-bit block" 1
expect_json "64-bit block json" '.error.kind == "failed" and (.error.message | test("64-bit block"))'
run "$LUKSFIT" format "$fresh" --sector-size 1000 --yes --key-file "$KEY"
expect_rc "bad sector size" 1

# Key input refusals.
: >"$WORKDIR/empty.key"
run "$LUKSFIT" format "$fresh" "${FAST[@]}" --key-file "$WORKDIR/empty.key" --yes
expect_rc "empty key file" 1
expect_err "empty key file" "is empty"
run "$LUKSFIT" format "$fresh" "${FAST[@]}" --key-file "$WORKDIR/missing.key" --yes
expect_rc "missing key file" 1
head -c $((8 * 1024 * 1024 + 1)) /dev/zero >"$WORKDIR/big.key"
run "$LUKSFIT" format "$fresh" "${FAST[@]}" --key-file "$WORKDIR/big.key" --yes
expect_rc "key file over 8 MiB" 1
expect_err "key file over 8 MiB" "8 MiB"
run "$LUKSFIT" format "$fresh" "${FAST[@]}" --key-file - --yes <&-
expect_rc "stdin closed" 1
expect_err "stdin closed" "standard input is closed"
check "refused formats left it blank" test -z "$(blkid -p -o value -s TYPE "$fresh" || true)"

# A key file readable by others works, with a warning; the key from stdin works.
cp "$KEY" "$WORKDIR/open.key"
chmod 644 "$WORKDIR/open.key"
run "$LUKSFIT" format "$fresh" "${FAST[@]}" --key-file "$WORKDIR/open.key" --yes
expect_rc "world-readable key file" 0
expect_err "world-readable key file" "readable by other users"
run sh -c "printf 'luksfit-test' | '$LUKSFIT' format '$fresh' --force --yes --key-file - ${FAST[*]}"
expect_rc "key from stdin, --force" 0
check "stdin key unlocks" cryptsetup open --test-passphrase --key-file "$KEY" "$fresh"

# Adiantum has no userspace implementation: without AF_ALG its validation fails (exit 8), and
# the target is untouched.
blank="$WORKDIR/blank.img"
"$LUKSFIT" image create "$blank" --size 64M >/dev/null
run "$LUKSFIT" format "$blank" --cipher xchacha12,aes-adiantum-plain64 --key-size 256 "${FAST[@]}" --key-file "$KEY" --yes
expect_rc "adiantum without AF_ALG" 8
expect_err "adiantum without AF_ALG" "validation failed"
check "adiantum: target untouched" test -z "$(blkid -p -o value -s TYPE "$blank" || true)"
no_leftovers "adiantum"

# Two formats of the same image at once: one wins, the other fails cleanly, the volume is valid.
race="$WORKDIR/race.img"
"$LUKSFIT" image create "$race" --size 64M >/dev/null
"$LUKSFIT" format "$race" --iter-time 300 --pbkdf-memory 32768 --key-file "$KEY" --yes >"$WORKDIR/a.out" 2>&1 &
pa=$!
"$LUKSFIT" format "$race" --iter-time 300 --pbkdf-memory 32768 --key-file "$KEY" --yes >"$WORKDIR/b.out" 2>&1 &
pb=$!
set +e
wait $pa; ra=$?
wait $pb; rb=$?
set -e
check "race: exactly one wins ($ra, $rb)" test $(((ra == 0) + (rb == 0))) -eq 1
loser=$((ra == 0 ? rb : ra))
check "race: the loser says busy (5) or holds data (6), got $loser" test "$loser" -eq 5 -o "$loser" -eq 6
check "race: the volume is valid" cryptsetup open --test-passphrase --key-file "$KEY" "$race"
no_leftovers "race"

# SIGINT during the validation (argon2 at 2 s): the process dies by SIGINT, nothing left.
sig="$WORKDIR/sig.img"
"$LUKSFIT" image create "$sig" --size 64M >/dev/null
before=$(sha256sum <"$sig")
"$LUKSFIT" format "$sig" --iter-time 2000 --pbkdf-memory 65536 --key-file "$KEY" --yes >/dev/null 2>"$WORKDIR/sig.err" &
ps=$!
# Validation has begun once luksfit holds its test image (no name, in TMPDIR).
check "SIGINT: luksfit holds its test image" wait_for "the test image" has_open "$ps" "$TMPDIR/*"
kill -INT $ps
set +e
wait $ps; rs=$?
set -e
check "SIGINT: killed by SIGINT (130), got $rs" test "$rs" -eq 130
check "SIGINT: says interrupted" grep -q "interrupted by INT" "$WORKDIR/sig.err"
check "SIGINT: target untouched" test "$(sha256sum <"$sig")" = "$before"
no_leftovers "SIGINT"

finish
