#!/usr/bin/env bash
# The kernel lab's `run --file SRC:/DEST` (tests/vm/harness/boot.sh): bad specifications and
# missing files are refused before anything boots (exit 99, the lab's own failure); a good one
# puts SRC at DEST (mode 0644) in the extra cpio assemble_initrd appends to the guest image.
# No qemu, no kernel: the refusals stop before them, the assembly is called directly.
. "$(dirname "$0")/lib.sh"
need_cmd cpio install
lab_dir=${LUKSFIT_SOURCE_ROOT:?}/tests/vm
cd "$WORKDIR"
echo 'true' >scenario.sh
printf 'rule\n' >61-test.rules
: >lab_probe

lab_run() { run env LAB_CACHE="$WORKDIR/cache" "$lab_dir/lab.sh" run --scenario scenario.sh \
	--bin "$WORKDIR/lab_probe" "$@"; }
lab_run --file 61-test.rules
expect_rc "--file without :/DEST" 99
expect_err "--file without :/DEST" "run: --file needs SRC:/DEST (a file), got '61-test.rules'"
lab_run --file 61-test.rules:relative/x
expect_rc "--file with a relative DEST" 99
lab_run --file 61-test.rules:/lab/udev/
expect_rc "--file with a folder as DEST" 99
lab_run --file no-such.rules:/lab/x
expect_rc "--file with a missing SRC" 99
expect_err "--file with a missing SRC" "run: --file: no such file: no-such.rules"
check "no cache made by the refusals" test ! -e "$WORKDIR/cache"

# assemble_initrd with a one-file base image, as cmd_run calls it; the extra cpio unpacked
cat >assemble.sh <<'SH'
set -euo pipefail
die() { echo "lab: error: $*" >&2; exit 99; }
LAB_DIR=$1
. "$LAB_DIR/harness/images.sh"
. "$LAB_DIR/harness/boot.sh"
RUN_TMP=$2/tmp; mkdir -p "$RUN_TMP"
(cd "$2" && echo base >base.txt && echo base.txt | cpio -o -H newc --quiet >base.cpio)
IMAGE=$2/base.cpio initrd='' scenario=$2/scenario.sh bins=() tools=() disks=() envs=()
variant=stock KPKG=k KVERSION=1 NEW_PKG=k OLD_PKG=k KNAME=6.1 userland=bookworm
files=("$2/61-test.rules:/lab/udev/61-test.rules" "$2/61-test.rules:/lib/udev/rules.d/61-x.rules")
assemble_initrd
cat "$2/base.cpio" "$RUN_TMP/extra.cpio" | cmp - "$RUN_TMP/initrd.cpio"
mkdir "$2/root" && cd "$2/root" && cpio -idm --quiet <"$RUN_TMP/extra.cpio"
SH
run bash assemble.sh "$lab_dir" "$WORKDIR"
expect_rc "assemble_initrd with two --file (the initrd: base image, then the extra cpio)" 0
check "SRC at DEST" cmp -s 61-test.rules root/lab/udev/61-test.rules
check "SRC at a second DEST, folders made" cmp -s 61-test.rules root/lib/udev/rules.d/61-x.rules
check "mode 0644" test "$(stat -c %a root/lib/udev/rules.d/61-x.rules)" = 644
check "the scenario is there too" test -f root/lab/scenario.sh
finish
