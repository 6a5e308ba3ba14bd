#!/usr/bin/env bash
# The man page source (docs/luksfit.8.scd) against the binary: every command and option that
# `luksfit [CMD...] --help` lists is documented in that command's section and nothing else is,
# and the EXIT STATUS list is util/error.hpp's ExitCode. Fails as soon as the two drift.
. "$(dirname "$0")/lib.sh"
need_cmd awk sort comm
: "${LUKSFIT_SOURCE_ROOT:?}"
scd=$LUKSFIT_SOURCE_ROOT/docs/luksfit.8.scd

"$LUKSFIT_SOURCE_ROOT/tools/help-options.sh" "$LUKSFIT" >"$WORKDIR/help.tsv"

# The man page as the same records: "## image create PATH" is the section of "luksfit image
# create"; GLOBAL OPTIONS is "luksfit"; options are the *-x* / *--long* words that start a
# definition line.
awk '
	/^# / { sec = ($0 == "# GLOBAL OPTIONS") ? "luksfit" : ""; cmds = ($0 == "# COMMANDS"); if (sec != "") print "cmd\t" sec; next }
	/^## / && cmds {
		sec = "luksfit"
		for (i = 2; i <= NF && $i ~ /^[a-z]/; i++) sec = sec " " $i
		print "cmd\t" sec
		next
	}
	sec != "" && /^\*-/ {
		line = $0
		while (match(line, /\*-[^*]+\*/)) {
			print "opt\t" sec "\t" substr(line, RSTART + 1, RLENGTH - 2)
			line = substr(line, RSTART + RLENGTH)
		}
	}
' "$scd" >"$WORKDIR/man.tsv"

commands=$(awk -F'\t' '$1 == "cmd" {print $2}' "$WORKDIR/help.tsv")
check "help lists commands" test "$(wc -l <<<"$commands")" -ge 10
check "the man page has sections" test "$(grep -c '^cmd' "$WORKDIR/man.tsv")" -ge 10

# A command path that only groups subcommands ("luksfit image") needs no section of its own.
is_group() { grep -q "^cmd	$1 " "$WORKDIR/help.tsv"; }
# Options of PATH in a records file; -h/--help only count for the top level.
opts_of() {
	awk -F'\t' -v p="$2" '$1 == "opt" && $2 == p {print $3}' "$1" |
		{ if [ "$2" = luksfit ]; then cat; else grep -vx -e -h -e --help || true; fi } | sort -u
}

while read -r path; do
	if is_group "$path" && [ -z "$(opts_of "$WORKDIR/help.tsv" "$path")" ]; then
		continue
	fi
	check "man page has a section for '$path'" grep -qx "cmd	$path" "$WORKDIR/man.tsv"
	missing=$(comm -23 <(opts_of "$WORKDIR/help.tsv" "$path") <(opts_of "$WORKDIR/man.tsv" "$path"))
	extra=$(comm -13 <(opts_of "$WORKDIR/help.tsv" "$path") <(opts_of "$WORKDIR/man.tsv" "$path"))
	check "'$path': every option in --help is documented${missing:+ (missing: $(xargs <<<"$missing"))}" test -z "$missing"
	check "'$path': every documented option exists${extra:+ (not in --help: $(xargs <<<"$extra"))}" test -z "$extra"
done <<<"$commands"

while read -r path; do
	check "documented command '$path' exists" grep -qx "cmd	$path" "$WORKDIR/help.tsv"
done < <(awk -F'\t' '$1 == "cmd" {print $2}' "$WORKDIR/man.tsv")

# EXIT STATUS: the same numbers as the ExitCode enum.
code_list=$(sed -n '/^enum class ExitCode/,/^};/p' "$LUKSFIT_SOURCE_ROOT/src/util/error.hpp" |
	grep -oE '= [0-9]+' | awk '{print $2}' | sort -n | xargs)
man_codes=$(sed -n '/^# EXIT STATUS/,/^# /p' "$scd" | grep -oE '^\*[0-9]+\*$' | tr -d '*' | sort -n | xargs)
check "exit codes in error.hpp ($code_list)" test -n "$code_list"
check "man EXIT STATUS lists exactly them (man: $man_codes)" test "$man_codes" = "$code_list"

# The page renders (scdoc is strict about its syntax).
if command -v scdoc >/dev/null; then
	check "scdoc renders the page" bash -c "scdoc <'$scd' >'$WORKDIR/luksfit.8'"
	# scdoc 1.11.5 (unstable) writes each '-' as roff's "\-", which man shows as '-'.
	sed 's/\\-/-/g' "$WORKDIR/luksfit.8" >"$WORKDIR/luksfit.8.text" || true
	check "rendered page names every command" bash -c \
		"for c in \$(awk -F'\t' '\$1 == \"cmd\" && \$2 != \"luksfit\" {sub(/^luksfit /, \"\", \$2); print \$2}' '$WORKDIR/help.tsv'); do grep -q -- \"\$c\" '$WORKDIR/luksfit.8.text' || exit 1; done"
else
	echo "note: scdoc not installed; rendering not checked (tools/deps.sh installs it)"
fi

finish
