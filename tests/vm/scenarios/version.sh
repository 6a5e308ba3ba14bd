# shellcheck shell=sh
# Every kernel, variant and userland: the guest is the one asked for (kernel release, variant,
# userland), luksfit runs and reports the kernel, cryptsetup is the userland's.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

krel=$(uname -r)
step "kernel $LAB_KERNEL ($krel), variant $LAB_VARIANT, userland $LAB_USERLAND"
assert_eq "$krel" "$(kernel_release_expected)" "guest kernel release"
assert_eq "$(cat /etc/lab-variant)" "$LAB_VARIANT" "guest image variant"
assert_eq "$(cat /etc/lab-userland)" "$LAB_USERLAND" "guest image userland"

step "luksfit --version"
expect_success luksfit --version
assert_line "$OUT" '^luksfit [0-9]+\.[0-9]+' "luksfit --version"
assert_contains "$OUT" "kernel $krel" "luksfit --version"
# luksfit of this userland: built against the libcryptsetup it runs with (no "built against")
series=$(userland_cryptsetup | sed 's/\./\\./')
assert_line "$OUT" "^libcryptsetup $series\.[0-9]+ \(reported by the library at run time\)\$" \
    "luksfit --version"

step "cryptsetup --version"
assert_userland
