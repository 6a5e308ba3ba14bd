#!/usr/bin/env bash
# gen-completion.sh LUKSFIT TEMPLATE: the bash completion with the option and command tables of
# this very binary (read from its --help by tools/help-options.sh), on stdout.
set -euo pipefail
bin=${1:?usage: gen-completion.sh LUKSFIT TEMPLATE}
template=${2:?usage: gen-completion.sh LUKSFIT TEMPLATE}
here=$(cd "$(dirname "$0")" && pwd)
records=$("$here/../tools/help-options.sh" "$bin")

# A case statement mapping each command path to a word list.
table() {
	local fn=$1 kind=$2
	# shellcheck disable=SC2016  # $1 of the generated function, printed as is
	printf '%s()\n{\n\tcase $1 in\n' "$fn"
	awk -F'\t' '$1 == "cmd" {print $2}' <<<"$records" | while read -r path; do
		local words
		if [ "$kind" = options ]; then
			words=$(awk -F'\t' -v p="$path" '$1 == "opt" && $2 == p {print $3}' <<<"$records")
		else
			words=$(awk -F'\t' -v p="$path" '$1 == "cmd" && index($2, p " ") == 1 &&
				split(substr($2, length(p) + 2), rest, " ") == 1 {print rest[1]}' <<<"$records")
		fi
		[ -n "$words" ] && printf "\t'%s') echo '%s' ;;\n" "$path" "$(xargs <<<"$words")"
	done
	printf '\tesac\n}\n'
}

tables=$(
	table _luksfit_options options
	echo
	table _luksfit_subcommands subcommands
	echo
	valued=$(awk -F'\t' '$1 == "opt" && $4 != "-" {print $3}' <<<"$records" | sort -u)
	printf "# Options that take a value (the next word is not a command).\n"
	printf "_luksfit_valued() { echo '%s'; }\n" "$(xargs <<<"$valued")"
	echo
	# Options whose value is one of a set CLI11 prints as TYPE:{a,b,c}.
	# shellcheck disable=SC2016  # $1 of the generated function, printed as is
	printf '_luksfit_choices()\n{\n\tcase $1 in\n'
	awk -F'\t' '$1 == "opt" && match($4, /\{[^}]*\}/) {
		print $3 "\t" substr($4, RSTART + 1, RLENGTH - 2)}' <<<"$records" | sort -u |
		while IFS=$'\t' read -r option choices; do
			printf "\t%s) echo '%s' ;;\n" "$option" "${choices//,/ }"
		done
	printf '\tesac\n}\n'
)
while IFS= read -r line; do
	if [ "$line" = "@TABLES@" ]; then
		printf '%s\n' "$tables"
	else
		printf '%s\n' "$line"
	fi
done <"$template"
