#!/usr/bin/env bash
# initramfs-modules against the kernel lab's 6.1 kernel, then mkinitramfs with the luksfit hook
# (private config dir, the lab kernel's module tree) and lsinitramfs of the result.
. "$(dirname "$0")/lib.sh"
need_cmd jq cryptsetup depmod mkinitramfs lsinitramfs unshare
need_root
: "${LUKSFIT_SOURCE_ROOT:?}" "${LUKSFIT_HOOK:?path of the configured initramfs-tools hook}"

# The lab's newest kernel (fetched into the lab cache if needed), indexed by depmod in a copy.
lab_out=$("$LUKSFIT_SOURCE_ROOT/tests/vm/lab.sh" kernels 2>"$WORKDIR/lab.err") || {
	rc=$?
	cat "$WORKDIR/lab.err"
	[ "$rc" -eq 77 ] && skip "the lab kernel is not available"
	exit "$rc"
}
kdir=$(awk '$1 == "new" {print $NF}' <<<"$lab_out")
krel=$(basename "$(find "$kdir/lib/modules" -mindepth 1 -maxdepth 1 -type d -print -quit)")
root=$WORKDIR/root
mkdir -p "$root/lib/modules"
cp -a "$kdir/lib/modules/$krel" "$root/lib/modules/"
depmod -b "$root" "$krel"
tree=$root/lib/modules/$krel
ADIANTUM=xchacha12,aes-adiantum-plain64

# --- the command on its own -------------------------------------------------------------
run "$LUKSFIT" initramfs-modules --modules-dir "$tree" --cipher "$ADIANTUM"
expect_rc "adiantum" 0
for m in dm_crypt dm_mod adiantum nhpoly1305 nhpoly1305_avx2 nhpoly1305_sse2 chacha_generic \
	chacha_x86_64 libchacha libpoly1305 aesni_intel; do
	check "adiantum needs $m" grep -qx "$m" "$WORKDIR/out"
done
check "adiantum: no algif_skcipher" bash -c "! grep -q algif $WORKDIR/out"
expect_no_err "adiantum, not verbose"

run "$LUKSFIT" initramfs-modules -v --modules-dir "$tree" --cipher "$ADIANTUM"
expect_err "adiantum -v" "# modules from $tree"

run "$LUKSFIT" initramfs-modules --json --modules-dir "$tree" --cipher "$ADIANTUM"
expect_rc "adiantum --json" 0
expect_json "adiantum --json" '.ok and .command == "initramfs-modules"'
expect_json "adiantum --json" '.modules[] | select(.name == "chacha_generic") | .alias == "crypto-xchacha12"'
expect_json "adiantum --json" '.modules[] | select(.name == "libpoly1305") | .required_by == "adiantum"'
expect_json "adiantum --json" '[.builtin[].name] == ["aes_generic"]'

run "$LUKSFIT" initramfs-modules --modules-dir "$tree" --cipher foo-xts-plain64
expect_rc "unknown cipher" 1
expect_err "unknown cipher" "unknown block cipher 'foo'"

# A tree without Adiantum (its index lines removed, as depmod would write after deleting it).
small=$WORKDIR/small
mkdir -p "$small"
grep -v 'adiantum' "$tree/modules.dep" >"$small/modules.dep"
grep -v ' adiantum$' "$tree/modules.alias" >"$small/modules.alias"
run "$LUKSFIT" initramfs-modules --modules-dir "$small" --cipher "$ADIANTUM"
expect_rc "tree without adiantum" 7
expect_err "tree without adiantum" "no module for crypto-adiantum"

run "$LUKSFIT" initramfs-modules --modules-dir "$WORKDIR/nowhere" --cipher "$ADIANTUM"
expect_rc "no module tree" 7

# --- devices: a real LUKS2 header, and an image that is not LUKS --------------------------
printf 'test-passphrase' >"$WORKDIR/key"
truncate -s 32M "$WORKDIR/xts.img" "$WORKDIR/blank.img"
cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 512 \
	--pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file "$WORKDIR/key" "$WORKDIR/xts.img"
run "$LUKSFIT" initramfs-modules --modules-dir "$tree" "$WORKDIR/xts.img"
expect_rc "aes-xts image" 0
check "aes-xts image needs xts" grep -qx xts "$WORKDIR/out"
check "aes-xts image: no adiantum" bash -c "! grep -q adiantum $WORKDIR/out"
run "$LUKSFIT" initramfs-modules --modules-dir "$tree" "$WORKDIR/blank.img"
expect_rc "not a LUKS image" 4

printf '# test\nxts %s none luks,discard\nswap /dev/nonexistent /dev/urandom plain,cipher=serpent-xts-plain64,size=512\n' \
	"$WORKDIR/xts.img" >"$WORKDIR/crypttab"
run "$LUKSFIT" initramfs-modules --json --modules-dir "$tree" --crypttab "$WORKDIR/crypttab"
expect_rc "crypttab" 0
expect_json "crypttab" '[.volumes[].cipher] == ["aes-xts-plain64", "serpent-xts-plain64"]'
expect_json "crypttab" '.volumes[0].source == "crypttab:2" and .volumes[0].name == "xts"'
expect_json "crypttab" '[.modules[].name] | index("serpent_avx2") != null'

# --- mkinitramfs with the hook, for the lab kernel -----------------------------------------
conf=$WORKDIR/conf
mkdir -p "$conf/hooks" "$conf/scripts" "$conf/conf.d"
printf 'MODULES=list\nBUSYBOX=auto\nCOMPRESS=gzip\nKEYMAP=n\nRUNSIZE=10%%\nFSTYPE=auto\n' \
	>"$conf/initramfs.conf"
# the disk driver a VM boot of this image uses (tests/vm/stories/initramfs-boot.sh)
printf 'virtio_pci\nvirtio_blk\n' >"$conf/modules"
install -m 0755 "$LUKSFIT_HOOK" "$conf/hooks/luksfit"
# The Adiantum volume: a LUKS header cannot be written here (cryptsetup checks the data cipher
# through AF_ALG or dm-crypt, neither exists on this host), so it comes through the hook's
# LUKSFIT_CIPHERS; the crypttab names the real aes-xts image.
printf 'xts %s none luks\n' "$WORKDIR/xts.img" >"$conf/crypttab"
# mkinitramfs reads /lib/modules/KVER: give it the lab tree in a private mount namespace,
# over an overlay of /usr/lib, so the host's /lib/modules and /boot are not touched.
mkdir -p "$WORKDIR/ov/upper" "$WORKDIR/ov/work"
# shellcheck disable=SC2016  # $1.. are expanded by the inner bash
run env LUKSFIT="$LUKSFIT" LUKSFIT_CRYPTTAB="$conf/crypttab" LUKSFIT_CIPHERS="$ADIANTUM" \
	unshare -m bash -c '
	set -e
	mount -t overlay overlay -o "lowerdir=/usr/lib,upperdir=$1/ov/upper,workdir=$1/ov/work" /usr/lib
	mkdir -p "/lib/modules/$2"
	mount --bind "$3" "/lib/modules/$2"
	mount --bind "$5/boot" /boot  # mkinitramfs reads the kernel config there
	mkinitramfs -d "$4" -o "$1/initrd.img" "$2"' _ "$WORKDIR" "$krel" "$tree" "$conf" "$kdir"
expect_rc "mkinitramfs with the luksfit hook" 0
check "host /lib/modules untouched" test ! -e "/lib/modules/$krel"
run lsinitramfs "$WORKDIR/initrd.img"
expect_rc "lsinitramfs" 0
for f in kernel/crypto/adiantum.ko kernel/crypto/nhpoly1305.ko \
	kernel/arch/x86/crypto/nhpoly1305-avx2.ko kernel/arch/x86/crypto/nhpoly1305-sse2.ko \
	kernel/crypto/chacha_generic.ko kernel/arch/x86/crypto/chacha-x86_64.ko \
	kernel/lib/crypto/libchacha.ko kernel/lib/crypto/libpoly1305.ko \
	kernel/arch/x86/crypto/aesni-intel.ko kernel/crypto/xts.ko kernel/crypto/ecb.ko \
	kernel/drivers/md/dm-crypt.ko kernel/drivers/md/dm-mod.ko; do
	expect_out "initramfs has $f" "lib/modules/$krel/$f"
done
check "initramfs has no algif_skcipher" bash -c "! grep -q algif_ $WORKDIR/out"
check "initramfs has no af_alg" bash -c "! grep -q '/af_alg.ko' $WORKDIR/out"
expect_out "initramfs has luksfit" "usr/sbin/luksfit"
if [ -n "${LUKSFIT_INITRD_OUT:-}" ]; then cp "$WORKDIR/initrd.img" "$LUKSFIT_INITRD_OUT"; fi

finish
