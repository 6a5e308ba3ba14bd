#!/usr/bin/env bash
# The command-line contract of the built binary: versions, usage errors, JSON errors.
. "$(dirname "$0")/lib.sh"
need_cmd jq cryptsetup

# The libcryptsetup in use reports its own version (an independent peer: the cryptsetup CLI of
# the same source package, whose library luksfit links).
peer=$(cryptsetup --version | awk '{print $2}')
run "$LUKSFIT" --version
expect_rc "--version" 0
expect_out "--version" "luksfit "
expect_out "--version" "kernel $(uname -r)"
expect_out "--version" "libcryptsetup $peer (reported by the library at run time)"

run "$LUKSFIT" --version --json
expect_rc "--version --json" 0
expect_json "--version --json" '.schema == 1 and .ok == true and (.libcryptsetup | test("^[0-9]+\\."))'
expect_json "--version --json" ".libcryptsetup == \"$peer\" and .libcryptsetup_source == \"runtime\""
expect_json "--version --json" ".libcryptsetup_build == \"$peer\""
expect_json "--version --json" ".kernel == \"$(uname -r)\""

run "$LUKSFIT" --bogus-option
expect_rc "unknown option" 1
expect_err "unknown option" "--bogus-option"
expect_err "unknown option" "hint: run 'luksfit --help'"
expect_no_out "unknown option"

run "$LUKSFIT" --json --bogus-option
expect_rc "unknown option, --json" 1
expect_json "unknown option, --json" '.ok == false and .error.exit_code == 1 and .error.kind == "failed"'
expect_no_err "unknown option, --json"

run "$LUKSFIT" no-such-command
expect_rc "unknown command" 1
expect_err "unknown command" "no-such-command"

run "$LUKSFIT"
expect_rc "no command" 1

run "$LUKSFIT" --help
expect_rc "--help" 0
expect_out "--help" "udev-probe"

# udev-probe (the last command to land): no LUKS header, no output, exit 0 (tests/host/udev.sh
# has the LUKS cases).
run "$LUKSFIT" udev-probe /dev/null
expect_rc "udev-probe /dev/null" 0
expect_no_out "udev-probe /dev/null"
expect_no_err "udev-probe /dev/null"

# Secrets never reach argv: there is no option that takes a passphrase.
run "$LUKSFIT" --help
check "no --passphrase option" test "$(grep -c -- '--passphrase' "$WORKDIR/out")" -eq 0

finish
