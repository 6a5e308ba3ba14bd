#!/usr/bin/env bash
# A FIFO (or anything else that is neither a regular file nor a block device) given where
# luksfit reads a file is refused at once, never waited on: a blocking open of a FIFO without
# a writer used to hang check, udev-probe, initramfs-modules (which then outlived SIGTERM:
# libcryptsetup opened the FIFO again after each EINTR) and the key file readers. Each run is
# bounded by `timeout`: a hang shows as exit 124. And a signal that arrives while a library
# call swallows the EINTR still ends luksfit by that signal once the command fails.
. "$(dirname "$0")/lib.sh"
need_cmd timeout strace jq
cd "$WORKDIR" || exit 1
mkfifo fifo
printf 'fifo-test-key' >key
chmod 600 key
"$LUKSFIT" image create vol.img --size 64M >/dev/null
FAST=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
NOT="is a FIFO, not a regular file or block device"

run timeout 10 "$LUKSFIT" check fifo
expect_rc "check FIFO" 4
expect_out "check FIFO" "fifo $NOT"
run timeout 10 "$LUKSFIT" --json check fifo
expect_json "check --json FIFO" ".error.exit_code == 4 and (.error.message | test(\"$NOT\"))"

# udev must not log an error per event: exit 0, no properties; -v says why.
run timeout 10 "$LUKSFIT" udev-probe fifo
expect_rc "udev-probe FIFO" 0
expect_no_out "udev-probe FIFO"
run timeout 10 "$LUKSFIT" -v udev-probe fifo
expect_err "udev-probe -v FIFO" "fifo $NOT"

run timeout -s TERM 10 "$LUKSFIT" initramfs-modules fifo
expect_rc "initramfs-modules FIFO device" 4
expect_err "initramfs-modules FIFO device" "fifo $NOT"
run timeout -s TERM 10 "$LUKSFIT" initramfs-modules --crypttab fifo
expect_rc "initramfs-modules --crypttab FIFO" 1
expect_err "initramfs-modules --crypttab FIFO" "fifo $NOT"
mkdir tree
mkfifo tree/modules.dep
run timeout 10 "$LUKSFIT" initramfs-modules --modules-dir tree --cipher aes-xts-plain64
expect_rc "initramfs-modules: modules.dep a FIFO" 7
expect_err "initramfs-modules: modules.dep a FIFO" "has no readable modules.dep"

run timeout 10 "$LUKSFIT" harden fifo --key-file key
expect_rc "harden FIFO" 4
expect_err "harden FIFO" "fifo $NOT"

# Key files: exit 4, as key_input.hpp documents for a directory; the hint names the pipe way.
run timeout 10 "$LUKSFIT" format vol.img --yes --key-file fifo "${FAST[@]}"
expect_rc "format --key-file FIFO" 4
expect_err "format --key-file FIFO" "key file fifo $NOT"
expect_err "format --key-file FIFO" "--key-file - to read the key from standard input"
run timeout 10 "$LUKSFIT" format vol.img --yes --key-file "$WORKDIR" "${FAST[@]}"
expect_rc "format --key-file DIRECTORY" 4
expect_err "format --key-file DIRECTORY" "is a directory, not a regular file or block device"
run timeout 10 "$LUKSFIT" format vol.img --yes --key-file /dev/null "${FAST[@]}"
expect_rc "format --key-file /dev/null" 4
expect_err "format --key-file /dev/null" "is a character device"
# --key-file - reads standard input as before, a pipe included.
run timeout 60 sh -c "cat key | '$LUKSFIT' format vol.img --yes --key-file - ${FAST[*]}"
expect_rc "format --key-file - from a pipe" 0
check "format --key-file - from a pipe: the key opens it" \
	cryptsetup open --test-passphrase --key-file key vol.img

# SIGTERM while libcryptsetup's open of a non-LUKS image is held (strace delays it 3 s): the
# command then fails ("not a LUKS device"), and luksfit ends by SIGTERM (143), not exit 4.
truncate -s 1M blank.img
strace -o /dev/null -P "$WORKDIR/blank.img" -e trace=openat \
	-e inject=openat:delay_exit=3000000:when=1 \
	"$LUKSFIT" initramfs-modules "$WORKDIR/blank.img" >term.out 2>term.err &
tracer=$!
held() { # sets LPID: the luksfit process strace runs
	LPID=$(pgrep -P "$tracer" | head -n 1)
	[ -n "$LPID" ] && has_open "$LPID" "$WORKDIR/blank.img"
}
check "SIGTERM: luksfit holds the image open (delayed)" wait_for "the image held" held
kill -TERM "$LPID" || true
set +e
wait "$tracer"
rc=$?
set -e
check "SIGTERM during a held open: ended by it (143), got $rc" test "$rc" -eq 143
check "SIGTERM during a held open: the failure is reported" \
	grep -q "is not a LUKS device" term.err
finish
