#!/usr/bin/env bash
# help-options.sh LUKSFIT: every command path and option, read from the binary's own --help
# (CLI11's layout), so the man page test and the bash completion cannot drift from the code.
# Output, tab-separated:
#   cmd  PATH                 e.g. "luksfit", "luksfit check", "luksfit image create"
#   opt  PATH  OPTION  TYPE   TYPE is the value's name as CLI11 prints it (TEXT, FILE,
#                             "TEXT:{auto,afalg,dmcrypt}=auto"...) or "-" for flags
set -euo pipefail
bin=${1:?usage: help-options.sh LUKSFIT}

# help_of WORD...: the --help text of a command path (without the leading "luksfit").
help_of() { "$bin" "$@" --help; }

# parse PATH: reads help text on stdin, prints the opt records and "sub NAME" lines.
parse() {
	awk -v path="$1" '
		/^[A-Za-z][A-Za-z ]*:$/ { section = $0; next }
		section == "Options:" && /^  -/ {
			n = split($1, names, ",")
			# A value name follows the option after one blank; the description after several.
			rest = substr($0, index($0, $1) + length($1))
			type = (rest ~ /^ [A-Z]+([:={]|$| )/) ? $2 : "-"
			for (i = 1; i <= n; i++) printf "opt\t%s\t%s\t%s\n", path, names[i], type
		}
		section == "Subcommands:" && /^  [a-z]/ { printf "sub\t%s\n", $1 }
	'
}

walk() {
	local path=$1
	shift
	printf 'cmd\t%s\n' "$path"
	local text sub
	text=$(help_of "$@")
	parse "$path" <<<"$text" | grep '^opt' || true
	for sub in $(parse "$path" <<<"$text" | awk -F'\t' '$1 == "sub" {print $2}'); do
		walk "$path $sub" "$@" "$sub"
	done
}

walk luksfit
