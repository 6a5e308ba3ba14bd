#!/usr/bin/env bash
# Lint suite: shellcheck on every tracked shell script (by name: .sh, .bash, their .in
# templates; or by a sh/bash #! line). Settings: .shellcheckrc at the top of the repo. Any
# finding fails the test.
set -euo pipefail
root=${1:?usage: shellcheck.sh SOURCE_ROOT}
. "$(dirname "$0")/tracked.sh"
need_tool shellcheck

is_shell() {
	case $1 in
	*.sh | *.bash | *.sh.in | *.bash.in) return 0 ;;
	esac
	[ -f "$root/$1" ] && head -n1 "$root/$1" | grep -qE '^#!.*[/ ](ba|da)?sh([[:space:]]|$)'
}

scripts=()
while IFS= read -r f; do
	is_shell "$f" && scripts+=("$f")
done < <(tracked_files "$root")
[ ${#scripts[@]} -gt 0 ] || { echo "no shell script found in $root"; exit 1; }

cd "$root"
echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p') on ${#scripts[@]} scripts"
if shellcheck -f gcc "${scripts[@]}"; then
	echo "no findings"
	exit 0
fi
echo "shellcheck: findings above (fix them, or disable one with a reason on the line before)"
exit 1
