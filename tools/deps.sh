#!/usr/bin/env bash
# Installs the Debian packages luksfit needs to build and test, if they are missing.
# Idempotent and quiet when everything is there. Needs root (or sudo) only to install.
# The packages are listed in tools/deps.list, by group:
#   deps.sh [GROUP...]         installs the missing packages of those groups (default: all)
#   deps.sh --list [GROUP...]  prints them, one a line
# "a|b" in the list: the first of a, b that this release has (a package that moved).
# tools/debian-root.sh runs this in its roots too (groups build and host).
set -euo pipefail

list=$(dirname "$0")/deps.list

# packages GROUP...: the packages of those groups of deps.list (every group when none given).
packages() {
	local line words group=''
	while IFS= read -r line; do
		line=${line%%#*}
		case $line in
		\[*\]) group=${line#[} group=${group%]} ;;
		*[![:space:]]*)
			if [ $# -eq 0 ] || [[ " $* " == *" $group "* ]]; then
				read -ra words <<<"$line"
				printf '%s\n' "${words[@]}"
			fi
			;;
		esac
	done <"$list" | awk '!seen[$0]++'
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# choose ALTS: the first package of "a|b" that apt knows (needs the package lists).
choose() {
	local p
	for p in ${1//|/ }; do
		apt-cache show --no-all-versions "$p" >/dev/null 2>&1 && echo "$p" && return 0
	done
	echo "deps: none of $1 is known to apt" >&2
	return 1
}

if [ "${1:-}" = --list ]; then
	shift
	packages "$@"
	exit 0
fi

missing=()
while IFS= read -r alts; do
	found=
	for p in ${alts//|/ }; do installed "$p" && found=1; done
	[ -n "$found" ] || missing+=("$alts")
done < <(packages "$@")
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
pkgs=()
for alts in "${missing[@]}"; do
	p=$(choose "$alts") || exit 1
	pkgs+=("$p")
done
echo "deps: installing ${pkgs[*]}" >&2
$sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
