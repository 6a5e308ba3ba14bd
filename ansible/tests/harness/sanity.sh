#!/usr/bin/env bash
# ansible-test sanity on the collection as built and installed, with Debian's ansible-core and
# tools, offline (ansible-test-offline.py: no pip downloads). Prints each test's result; a test
# ansible-test skips (e.g. pslint: no PowerShell here and no .ps1 file) is listed with its reason.
HARNESS=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HARNESS/lib.sh"
need_cmd ansible-test
for m in pylint pycodestyle voluptuous yamllint yaml; do
	/usr/bin/python3 -c "import $m" 2>/dev/null || skip "python3 module $m is missing (tools/deps.sh installs it)"
done
install_collection
py=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
cd "$COLLECTION"
set +e
/usr/bin/python3 "$HARNESS/ansible-test-offline.py" "$WORKDIR/venvs" sanity --python "$py" \
	--color no -v >"$WORKDIR/sanity.log" 2>&1
RC=$?
set -e
OUT=$(cat "$WORKDIR/sanity.log")
ERR=
grep -E '^(ERROR|FATAL|WARNING: Skipping)' "$WORKDIR/sanity.log" || true
tests=$(grep -c '^Running sanity test' "$WORKDIR/sanity.log" || true)
# Tests with nothing to check in this collection (e.g. pslint: no PowerShell file; changelog:
# no changelogs/ folder); ansible-test says so with -v.
idle=$(awk '/^Running sanity test/ { t = $4 } /^No tests applicable/ { print t }' \
	"$WORKDIR/sanity.log" | tr -d '"' | sort -u | paste -sd' ')
echo "sanity: $tests tests ran; with nothing to check here: ${idle:-none}"
check "ansible-test sanity --python $py: $tests tests, clean (exit $RC)" test "$RC" -eq 0
check "ansible-test ran its tests (at least 30)" test "$tests" -ge 30
# The role's documentation (meta/argument_specs.yml), which ansible-test does not check.
run ansible-doc -t role luksfit.luksfit.fleet
check "ansible-doc -t role luksfit.luksfit.fleet documents the role's options" \
	sh -c "grep -q 'luksfit_fleet_disks' '$WORKDIR/out' && grep -q 'luksfit_fleet_summary_file' '$WORKDIR/out'"
run ansible-doc luksfit.luksfit.luksfit_volume luksfit.luksfit.luksfit_facts
check "ansible-doc renders both modules" \
	sh -c "grep -q 'crypttab_key_file' '$WORKDIR/out' && grep -q 'volumes_at_risk' '$WORKDIR/out'"
check "ansible-test skipped no test" sh -c "! grep -q '^WARNING: Skipping' '$WORKDIR/sanity.log'"
finish
