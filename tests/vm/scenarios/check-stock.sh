# shellcheck shell=sh
# check-stock: `luksfit check` on the stock kernel (AF_ALG and dm-crypt present) says ready,
# and its facts agree with independent peers (dmsetup, cryptsetup, /proc/crypto).
# shellcheck source=../guest/lib.sh
. /lab/lib.sh
export DM_DISABLE_UDEV=1

step "host report"
expect_status 0 luksfit check
assert_line "$OUT" '^Verdict: ready$' "check"
assert_line "$OUT" '^  AF_ALG +yes$' "check"
assert_line "$OUT" '^    skcipher +binds$' "check"
assert_line "$OUT" '^    aead +binds$' "check"
assert_line "$OUT" '^    hash +binds$' "check"
# The semantic probe: Debian 6.1 kernels carry "crypto: af_alg - Remove zero-copy support"
# (docs/compatibility.md, splice zero-copy).
assert_line "$OUT" '^    splice +copied$' "check"
# AES-NI under TCG -cpu max: dm-crypt gets the AES-NI driver and AF_ALG reaches it.
assert_line "$OUT" '^  aes-xts-plain64/512 +xts-aes-aesni +cpu-instructions +yes +userspace$' "check"
assert_line "$OUT" '^  xchacha12,aes-adiantum-plain64/256 +adiantum\(xchacha12-simd,aes-aesni,nhpoly1305-avx2\)' "check"
assert_line "$OUT" '^  serpent-xts-plain64/512 +xts\(ecb-serpent-avx2\) +cpu-instructions +yes +no$' "check"

step "dm-crypt version agrees with dmsetup"
ver=$(printf '%s\n' "$OUT" | sed -n 's/^  dm-crypt  *\([0-9.]*\) .*/\1/p')
expect_success dmsetup targets
assert_line "$OUT" "^crypt +v$ver\$" "dmsetup targets (luksfit said $ver)"
expect_success luksfit check
assert_contains "$OUT" "no_read_workqueue no_write_workqueue" "dm-crypt features"

step "the kernel picks the driver luksfit named"
best=$(awk -F': ' '/^name/{n=$2} /^driver/{d=$2} /^priority/{p=$2} /^type/{if (n=="xts(aes)" && $2=="skcipher" && p>bp){bp=p; b=d}} END{print b}' /proc/crypto)
assert_eq "$best" "xts-aes-aesni" "highest-priority xts(aes) in /proc/crypto"

step "--json and --strict"
expect_status 0 luksfit check --json
assert_contains "$OUT" '"verdict": "ready"' "check --json"
assert_contains "$OUT" '"result": "copied"' "check --json splice"
expect_status 0 luksfit check --strict

step "unlock predictions agree with cryptsetup open (as boot opens)"
unlock_volumes
