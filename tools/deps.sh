#!/usr/bin/env bash
# Installs the Debian packages luksfit needs to build and test, if they are missing.
# Idempotent and quiet when everything is there. Needs root (or sudo) only to install.
# The packages are listed in tools/deps.list; `deps.sh --list GROUP...` prints those groups'.
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
	done <"$list"
}

if [ "${1:-}" = --list ]; then
	shift
	packages "$@" | awk '!seen[$0]++'
	exit 0
fi

missing=()
while IFS= read -r p; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done < <(packages | awk '!seen[$0]++')
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
