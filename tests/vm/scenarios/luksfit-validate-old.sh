# shellcheck shell=sh
# old: `luksfit validate` on the oldest lab kernel: the default parameters (policy default
# without bench results, recommend's choice once a bench result is cached), the performance
# flags chosen from this kernel's dm-crypt target version, a kernel-only cipher, and nothing
# left behind.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"
cache=/tmp/lab-bench.json

state() {
    echo "dm: $(dmsetup ls 2>&1 | tr '\n' ' ')"
    echo "loop: $(losetup -a | tr '\n' ' ')"
    # shellcheck disable=SC2012  # names made by mktemp: no odd characters
    echo "tmp: $(ls -A /tmp | tr '\n' ' ')"
}
before=$(state)
echo "$before"

step "validate with no bench results: the policy default, said so"
# shellcheck disable=SC2086
expect_success luksfit validate --size 32M --cache "$cache" $FAST
assert_contains "$OUT" "parameters:    policy default: no bench results cached for this host (cache $cache)" "validate"
assert_contains "$OUT" "cipher:        aes-xts-plain64/512" "validate"
# dm-crypt 1.22.0 and later have both workqueue flags (docs/compatibility.md); the version
# luksfit read (asking for the target by name loads dm-crypt) is the one dmsetup lists.
assert_line "$OUT" '^  perf flags:    no_read_workqueue no_write_workqueue \(dm-crypt [0-9]+\.[0-9]+\.[0-9]+ supports them; not measured \(' "validate"
dmver=$(printf '%s\n' "$OUT" | sed -n 's/.*(dm-crypt \([0-9.]*\) supports them;.*/\1/p')
for s in "format" "open" "write pattern (O_DIRECT)" "read back and verify" "no plaintext in image" \
         "blkid sees crypto_LUKS" "delete image"; do
    assert_contains "$OUT" "ok  $s " "validate step"
done
assert_contains "$OUT" "validation passed" "validate"
assert_eq "$(state)" "$before" "leftovers after validate"
expect_success dmsetup targets
assert_line "$OUT" "^crypt +v$dmver\$" "dmsetup targets (luksfit said $dmver)"

step "validate a kernel-only cipher (keyslots fall back to aes-xts)"
# shellcheck disable=SC2086
expect_success sh -c "luksfit validate --json --cipher xchacha12,aes-adiantum-plain64 --key-size 256 --size 32M $FAST 2>/dev/null"
assert_contains "$OUT" '"data_path_tested": true' "validate --json adiantum"
assert_contains "$OUT" '"kind": "options"' "validate --json parameters_source"
assert_contains "$OUT" '"cipher": "xchacha12,aes-adiantum-plain64"' "validate --json adiantum"
assert_eq "$(state)" "$before" "leftovers after validate adiantum"

step "bench results cached on this kernel: validate takes recommend's choice"
expect_success luksfit bench --engine afalg --time-budget 6 --max-rounds 3 --save --cache "$cache"
expect_success luksfit recommend --cache "$cache"
assert_contains "$OUT" "cached afalg measurements" "recommend's basis"
want=$(printf '%s\n' "$OUT" | sed -n 's/^cipher: *//p' | head -n1)
[ -n "$want" ] || fail "recommend gave no choice"
ok "recommend's choice from the cache: $want"
# shellcheck disable=SC2086
expect_success luksfit validate --size 32M --cache "$cache" $FAST
assert_contains "$OUT" "parameters:    recommended from afalg bench results of " "validate"
assert_contains "$OUT" "(cache $cache)" "validate"
assert_contains "$OUT" "cipher:        $want" "validate"
assert_contains "$OUT" "validation passed" "validate"
rm -f "$cache"
assert_eq "$(state)" "$before" "leftovers after validate with a cache"
