# shellcheck shell=sh
# Story "disk-across", boots 2 and 3: this boot's userland opens the volume an earlier boot
# formatted on /dev/vda, checks the data LAB_READ_SEED wrote (8 MiB) and, with LAB_WRITE_SEED
# set, writes that pattern over it for the next boot.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "kernel $LAB_KERNEL ($(uname -r)), userland $LAB_USERLAND"
assert_userland

step "same volume as boot 1"
expect_success blkid -o value -s UUID /dev/vda
assert_eq "$OUT" "$LAB_EXPECT_UUID" "LUKS UUID of /dev/vda"
expect_success cryptsetup luksDump /dev/vda
assert_line "$OUT" '^Version:[[:space:]]+2$' "luksDump"

step "open and read back"
expect_success luks_open /dev/vda across
check_pattern /dev/mapper/across "$LAB_READ_SEED" 8
if [ -n "${LAB_WRITE_SEED:-}" ]; then
    step "write for the next boot"
    write_pattern /dev/mapper/across "$LAB_WRITE_SEED" 8
fi
expect_success cryptsetup close across
