#!/usr/bin/env bash
# Lint suite: clang-format --dry-run --Werror on every tracked C/C++ file of src/ and tests/,
# with the .clang-format at the top of the repo. Any file it would change fails the test;
# `clang-format -i FILE` applies the format.
set -euo pipefail
root=${1:?usage: clang-format.sh SOURCE_ROOT}
. "$(dirname "$0")/tracked.sh"
need_tool clang-format

files=()
while IFS= read -r f; do
	case $f in
	src/*.[ch] | src/*.[ch]pp | tests/*.[ch] | tests/*.[ch]pp) files+=("$f") ;;
	esac
done < <(tracked_files "$root")
[ ${#files[@]} -gt 0 ] || { echo "no C/C++ file found in $root"; exit 1; }

cd "$root"
echo "$(clang-format --version) on ${#files[@]} files"
# One clang-format for all files (a process per file takes minutes on a loaded machine); each
# spot it would change is an "error:" line naming its file.
findings=$(mktemp)
trap 'rm -f "$findings"' EXIT
rc=0
clang-format --dry-run --Werror "${files[@]}" 2>"$findings" || rc=$?
if [ "$rc" -eq 0 ]; then
	echo "all formatted"
	exit 0
fi
mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: .*/\1/p' "$findings" | sort -u)
# The first findings in full, then the list (the whole output would bury it).
head -n 40 "$findings"
printf 'not formatted: %s\n' "${bad[@]}"
echo "${#bad[@]} of ${#files[@]} files not formatted (clang-format -i FILE...)"
exit 1
