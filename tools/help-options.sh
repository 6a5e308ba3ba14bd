#!/usr/bin/env bash
# help-options.sh LUKSFIT: every command path and option, read from the binary's own --help
# (CLI11's layout), so the man page test and the bash completion cannot drift from the code.
# Output, tab-separated:
#   cmd  PATH                 e.g. "luksfit", "luksfit check", "luksfit image create"
#   opt  PATH  OPTION  TYPE   TYPE is the value's name as CLI11 prints it, without its default
#                             (TEXT, FILE, "TEXT:{auto,afalg,dmcrypt}"...), or "-" for flags
# The same records from the layouts of CLI11 2.1 to 2.4 ("Options:", "-h,--help", "=default")
# and of 2.5 and later ("OPTIONS:", "-h,     --help", " [default]", lines padded with a blank).
set -euo pipefail
bin=${1:?usage: help-options.sh LUKSFIT}

# help_of WORD...: the --help text of a command path (without the leading "luksfit").
help_of() { "$bin" "$@" --help; }

# parse PATH: reads help text on stdin, prints the opt records and "sub NAME" lines.
parse() {
	awk -v path="$1" '
		{ sub(/[ \t]+$/, "") }
		/^[A-Za-z][A-Za-z ]*:$/ { section = tolower($0); next }
		# An option line is indented a little; a wrapped description far more.
		section == "options:" && match($0, /^ +-/) && RLENGTH <= 12 {
			line = substr($0, RLENGTH)
			n = 0
			while (match(line, /^-[^ ,]+/)) {
				names[++n] = substr(line, 1, RLENGTH)
				line = substr(line, RLENGTH + 1)
				if (!match(line, /^, *-/))
					break
				line = substr(line, RLENGTH)
			}
			# A value name follows the names after one blank; the description after several.
			type = "-"
			if (match(line, /^ [A-Z][^ ]*/)) {
				type = substr(line, 2, RLENGTH - 1)
				sub(/=.*/, "", type)
			}
			for (i = 1; i <= n; i++) printf "opt\t%s\t%s\t%s\n", path, names[i], type
		}
		section == "subcommands:" && /^  [a-z]/ { printf "sub\t%s\n", $1 }
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
