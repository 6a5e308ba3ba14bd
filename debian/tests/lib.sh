# shellcheck shell=sh
# Shared by the autopkgtests: a scratch folder and one-line checks.
set -eu
TMP=${AUTOPKGTEST_TMP:-$(mktemp -d)}
cd "$TMP"

ok() { echo "ok: $*"; }
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# check TEXT CMD...: CMD must succeed.
check() {
	t=$1
	shift
	"$@" || fail "$t"
	ok "$t"
}
