# shellcheck shell=sh
# Every variant: the luksfit binary runs in the guest and reports the guest's kernel.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

krel=$(uname -r)
step "variant $LAB_VARIANT, kernel $krel"
assert_eq "$krel" "$(kernel_release_expected)" "guest kernel release"
assert_eq "$(cat /etc/lab-variant)" "$LAB_VARIANT" "guest image variant"

step "luksfit --version"
expect_success luksfit --version
assert_line "$OUT" '^luksfit [0-9]+\.[0-9]+' "luksfit --version"
assert_contains "$OUT" "kernel $krel" "luksfit --version"
