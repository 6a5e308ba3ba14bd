# shellcheck shell=sh
# old: the oldest kernel of the lab boots, with AF_ALG and dm-crypt, and is not the stock one.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

krel=$(uname -r)
step "kernel $krel ($(uname -v))"
assert_eq "$LAB_KERNEL_PACKAGE" "$LAB_KERNEL_OLD_PACKAGE" "kernel package of variant old"
assert_ne "$LAB_KERNEL_OLD_PACKAGE" "$LAB_KERNEL_NEW_PACKAGE" "old kernel package"
assert_eq "$krel" "$(kernel_release_expected)" "guest kernel release"
new_rel=$(echo "$LAB_KERNEL_NEW_PACKAGE" | sed -e 's/^linux-image-//' -e 's/-unsigned$//')
assert_ne "$krel" "$new_rel" "guest kernel release"
assert_contains "$(uname -v)" "Debian $LAB_KERNEL_VERSION " "uname -v"
oldest=$(printf '%s\n%s\n' "$krel" "$new_rel" | sort -V | sed -n 1p)
assert_eq "$oldest" "$krel" "older of the two releases"

step "AF_ALG and dm-crypt"
expect_success lab_probe afalg-socket skcipher 'xts(aes)'
assert_eq "$OUT" ok "afalg-socket skcipher xts(aes)"
expect_success modprobe dm_crypt
expect_success dmsetup targets
assert_line "$OUT" '^crypt ' "dmsetup targets"
