# shellcheck shell=sh
# afalg-works (7.2 stock): AF_ALG (built as modules there) binds, computes a known digest,
# and luksfit check reports it.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "socket(AF_ALG) and binds"
expect_success lab_probe afalg-socket
assert_eq "$OUT" ok "afalg-socket"
expect_success lab_probe afalg-socket skcipher 'xts(aes)'
assert_eq "$OUT" ok "afalg-socket skcipher xts(aes)"
expect_success lab_probe afalg-socket hash 'sha256'
assert_eq "$OUT" ok "afalg-socket hash sha256"

step "a known answer through AF_ALG (kcapi-dgst sha256 of 'abc')"
expect_success sh -c "printf abc | kcapi-dgst -c sha256 --hex"
assert_eq "$OUT" ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad "kcapi-dgst sha256"

step "luksfit check reports AF_ALG"
expect_status 0 luksfit check
assert_line "$OUT" '^  AF_ALG +yes$' "check"
assert_line "$OUT" '^    skcipher +binds$' "check"
assert_line "$OUT" '^    hash +binds$' "check"
# like the Debian 6.1 kernels, 7.2 copies spliced pages (no zero-copy)
assert_line "$OUT" '^    splice +copied$' "check"
assert_line "$OUT" '^Verdict: ready$' "check"
# the image keeps the 7.x package's layout: the config in /usr/lib/modules/REL, no /boot
krel_re=$(uname -r | sed 's/[.+]/\\&/g')
assert_line "$OUT" "^  kernel config +/usr/lib/modules/$krel_re/config\$" "check"
