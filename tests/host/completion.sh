#!/usr/bin/env bash
# The bash completion built from the binary: sourced in a fresh bash, _luksfit is called with
# COMP_WORDS/COMP_CWORD as bash would, and COMPREPLY is checked for commands, a command's
# options, subcommands and file arguments. Its tables must equal what --help lists.
. "$(dirname "$0")/lib.sh"
need_cmd bash sort comm
: "${LUKSFIT_SOURCE_ROOT:?}" "${LUKSFIT_BUILD_ROOT:?}"
comp=$LUKSFIT_BUILD_ROOT/completion/luksfit
check "the completion was built" test -s "$comp"
[ -s "$comp" ] || { finish; exit 1; }
check "bash -n" bash -n "$comp"

# complete WORD...: the candidates for the last word (the one under the cursor), sorted.
complete_words() {
	(cd "$WORKDIR/files" && bash --norc --noprofile -c '
		source "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_luksfit luksfit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" luksfit "$@") | sed '/^$/d' | sort
}
mkdir -p "$WORKDIR/files"
touch "$WORKDIR/files/disk.img" "$WORKDIR/files/crypttab.test"

"$LUKSFIT_SOURCE_ROOT/tools/help-options.sh" "$LUKSFIT" >"$WORKDIR/help.tsv"
help_opts() { awk -F'\t' -v p="$1" '$1 == "opt" && $2 == p {print $3}' "$WORKDIR/help.tsv" | sort -u; }
top_commands=$(awk -F'\t' '$1 == "cmd" && split($2, w, " ") == 2 {print w[2]}' "$WORKDIR/help.tsv" | sort)

check "registered for luksfit" bash -c "source '$comp' && complete -p luksfit | grep -q -- '-F _luksfit'"

out=$(complete_words "")
check "commands: every command --help lists" test "$out" = "$top_commands"
check "commands: crypttab among them" grep -qx crypttab <<<"$out"
check "commands: 'cr' -> crypttab" test "$(complete_words cr)" = crypttab
check "commands: 'initramfs' -> initramfs-modules" test "$(complete_words initramfs)" = initramfs-modules
check "commands after a global flag" test "$(complete_words --json ch)" = check

expected=$( (help_opts "luksfit crypttab"; help_opts luksfit) | sort -u)
check "crypttab options: its --help and the global ones" test "$(complete_words crypttab --)" = \
	"$(grep -- '^--' <<<"$expected")"
check "crypttab --w -> --write" test "$(complete_words crypttab vol.img data --w)" = --write
check "check --st -> --strict" test "$(complete_words -v check --st)" = --strict
check "bench: --engine offered" grep -qx -- --engine <<<"$(complete_words bench --)"
check "bench --engine: its choices" test "$(complete_words bench --engine "")" = "$(printf 'afalg\nauto\ndmcrypt')"
check "bench: no crypttab option" bash -c "! grep -qx -- --write <<<'$(complete_words bench --)'"

check "image: its subcommands" test "$(complete_words image "")" = "$(printf 'attach\ncreate\ndetach')"
check "image create: --size" grep -qx -- --size <<<"$(complete_words image create --)"
check "image create: no --read-only" bash -c "! grep -qx -- --read-only <<<'$(complete_words image create --)'"

check "format DEVICE: files" test "$(complete_words format di)" = disk.img
check "--crypttab FILE: files" test "$(complete_words crypttab --crypttab cry)" = crypttab.test
check "value of --crypttab is not a command" \
	test "$(complete_words initramfs-modules --crypttab crypttab.test --)" = \
	"$( (help_opts "luksfit initramfs-modules"; help_opts luksfit) | grep -- '^--' | sort -u)"

# The generated tables hold exactly what each command's --help lists.
while read -r path; do
	got=$(bash --norc -c 'source "$1"; _luksfit_options "$2"' _ "$comp" "$path" | tr ' ' '\n' | sed '/^$/d' | sort -u)
	check "table for '$path' equals its --help" test "$got" = "$(help_opts "$path")"
done < <(awk -F'\t' '$1 == "cmd" {print $2}' "$WORKDIR/help.tsv")

finish
