#!/usr/bin/env bash
# The modules' unit tests (pytest, a fake luksfit behind run_command) on the collection as built
# and installed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 -c 'import pytest' 2>/dev/null || skip "python3-pytest is not installed"
install_collection
cd "$COLLECTION"
set +e
PYTHONPATH="$WORKDIR/collections${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m pytest -p no:cacheprovider \
	-q tests/unit >"$WORKDIR/pytest.log" 2>&1
RC=$?
set -e
OUT=$(tail -30 "$WORKDIR/pytest.log")
tail -1 "$WORKDIR/pytest.log"
check "pytest tests/unit (exit $RC)" test "$RC" -eq 0
check "pytest ran at least 60 tests" grep -qE '^(6[0-9]|[7-9][0-9]|[1-9][0-9]{2,}) passed' "$WORKDIR/pytest.log"
finish
