# shellcheck shell=sh
# check-no-afalg: without AF_ALG, `luksfit check` says degraded (exit 0, 7 with --strict), and
# its keyslot verdicts agree with what cryptsetup can really format here.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

step "host report"
expect_status 0 luksfit check
assert_line "$OUT" '^Verdict: degraded$' "check"
assert_line "$OUT" '^  AF_ALG +no \(Address family not supported by protocol\)$' "check"
assert_contains "$OUT" "AF_ALG is not available" "check findings"
assert_line "$OUT" '^  dm-crypt +1\.[0-9]+\.[0-9]+ ' "check (dm-crypt still there)"
assert_line "$OUT" '^  aes-xts-plain64/512 .* +userspace$' "check"
assert_line "$OUT" '^  xchacha12,aes-adiantum-plain64/256 .* +no$' "check"
expect_status 7 luksfit check --strict

step "cryptsetup agrees: aes-xts keyslots work, Adiantum keyslots do not"
loop=$(make_loop_file 32)
expect_success luks_format "$loop" --cipher aes-xts-plain64 --key-size 512
loop2=$(make_loop_file 32)
expect_failure luks_format "$loop2" --cipher xchacha12,aes-adiantum-plain64 --key-size 256
assert_contains "$OUT" "keyslot encryption" "cryptsetup luksFormat (adiantum)"
losetup -d "$loop" "$loop2"

step "unlock predictions agree with cryptsetup open (as boot opens)"
unlock_volumes
