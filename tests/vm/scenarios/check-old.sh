# shellcheck shell=sh
# check-old: the oldest lab kernel; `luksfit check` reports its release and what it has.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

step "host report"
expect_status 0 luksfit check
assert_line "$OUT" "^  kernel +$(uname -r)\$" "check"
assert_line "$OUT" '^Verdict: ready$' "check"
assert_line "$OUT" '^  AF_ALG +yes$' "check"
# The result comes from the kernel's behaviour: 6.1.170 copies too (docs/compatibility.md).
assert_line "$OUT" '^    splice +copied$' "check"
ver=$(printf '%s\n' "$OUT" | sed -n 's/^  dm-crypt  *\([0-9.]*\) .*/\1/p')
expect_success dmsetup targets
assert_line "$OUT" "^crypt +v$ver\$" "dmsetup targets (luksfit said $ver)"
