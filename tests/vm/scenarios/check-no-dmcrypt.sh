# shellcheck shell=sh
# check-no-dmcrypt: without the dm-crypt module, `luksfit check` says unsupported (exit 7) and
# names dm-crypt; AF_ALG is still fine.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

step "host report"
expect_status 7 luksfit check
assert_line "$OUT" '^Verdict: unsupported$' "check"
assert_line "$OUT" '^  dm-crypt +no \(the dm-crypt module is not installed\)$' "check"
assert_contains "$OUT" "the dm-crypt target is not available" "check findings"
assert_line "$OUT" '^  AF_ALG +yes$' "check"
assert_not_contains "$OUT" "AF_ALG is not available" "check findings"

step "dmsetup agrees"
expect_failure modprobe dm_crypt
expect_success dmsetup targets
assert_not_contains "$OUT" "crypt" "dmsetup targets"
