# shellcheck shell=sh
# Booted with the initramfs mkinitramfs made with the luksfit hook (lab.sh run --initrd): its
# modules are exactly what the hook (and initramfs-tools' base) put there. An Adiantum volume
# must format and open with them, without AF_ALG.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
mods=/lib/modules/$(uname -r)

step "the generated initramfs has no AF_ALG modules"
found=$(find "$mods" \( -name 'af_alg.ko*' -o -name 'algif_*.ko*' \) | wc -l)
assert_eq "$found" 0 "af_alg/algif_* modules in the image"
expect_success test -f "$mods/kernel/crypto/adiantum.ko"

step "format Adiantum (keyslot aes-xts: no AF_ALG needed) on /dev/vda"
printf 'lab-passphrase' >/tmp/key
expect_success cryptsetup luksFormat -q --type luks2 --cipher xchacha12,aes-adiantum-plain64 \
	--key-size 256 --keyslot-cipher aes-xts-plain64 --keyslot-key-size 512 \
	--pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file /tmp/key /dev/vda

step "luksfit resolves the same modules from the image's own tree"
expect_success luksfit initramfs-modules /dev/vda
list=$(luksfit initramfs-modules /dev/vda)
for m in adiantum nhpoly1305 chacha_generic dm_crypt; do
	assert_line "$list" "^$m\$" "luksfit initramfs-modules"
done

step "open the volume through dm-crypt, write and read back"
expect_success cryptsetup open --key-file /tmp/key /dev/vda adi
expect_success test -b /dev/mapper/adi
dd if=/dev/urandom of=/tmp/pattern bs=4096 count=64 2>/dev/null
dd if=/tmp/pattern of=/dev/mapper/adi bs=4096 count=64 conv=fsync 2>/dev/null
expect_success cryptsetup close adi
expect_success cryptsetup open --key-file /tmp/key /dev/vda adi
dd if=/dev/mapper/adi of=/tmp/back bs=4096 count=64 2>/dev/null
expect_success cmp /tmp/pattern /tmp/back
table=$(dmsetup table adi)
assert_contains "$table" "xchacha12,aes-adiantum-plain64" "dm-crypt table"
expect_success cryptsetup close adi

step "the modules that were loaded, and no AF_ALG"
loaded=$(cut -d' ' -f1 /proc/modules)
echo "$loaded" | tr '\n' ' '; echo
for m in adiantum nhpoly1305 dm_crypt; do assert_line "$loaded" "^$m\$" "/proc/modules"; done
assert_not_contains " $(echo "$loaded" | tr '\n' ' ') " " af_alg " "/proc/modules"
ok "Adiantum volume opened with the hook's modules only"
