#!/usr/bin/env bash
# `meson install --destdir SCRATCH` lays out what a distribution package ships: the binary,
# the man page, the bash completion, the initramfs-tools hook, the dracut module and the udev
# rules, each where its consumer looks (with prefix=/usr: Debian's paths). Lists the tree and
# checks every expected path, and that nothing else is installed.
. "$(dirname "$0")/lib.sh"
need_cmd meson jq find
: "${LUKSFIT_SOURCE_ROOT:?}" "${LUKSFIT_BUILD_ROOT:?}"

dest=$WORKDIR/dest
meson install -C "$LUKSFIT_BUILD_ROOT" --no-rebuild --destdir "$dest" >"$WORKDIR/install.log" 2>&1 || {
	cat "$WORKDIR/install.log"
	echo "FAIL: meson install"
	exit 1
}
echo "--- installed tree ---"
(cd "$dest" && find . \( -type f -o -type l \) | sort) | tee "$WORKDIR/tree"
echo "----------------------"

opt() { meson introspect --buildoptions "$LUKSFIT_BUILD_ROOT" | jq -r ".[] | select(.name == \"$1\") | .value"; }
abs() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
prefix=$(opt prefix)
sbindir=$(abs "$(opt sbindir)")
mandir=$(abs "$(opt mandir)")
datadir=$(abs "$(opt datadir)")

expected=("$sbindir/luksfit"
	"$datadir/initramfs-tools/hooks/luksfit"
	"$prefix/lib/dracut/modules.d/90luksfit/module-setup.sh")
if command -v scdoc >/dev/null; then
	expected+=("$mandir/man8/luksfit.8")
else
	echo "note: scdoc not installed, no man page built (tools/deps.sh installs it)"
fi
if pkg-config --exists bash-completion; then
	compdir=$(pkg-config --variable=completionsdir --define-variable=datadir="$datadir" bash-completion)
else
	compdir=$datadir/bash-completion/completions
fi
expected+=("$compdir/luksfit")
# udev rules: every udev/*.rules of the source tree, in pkg-config udev's udevdir/rules.d.
rules=$(find "$LUKSFIT_SOURCE_ROOT/udev" -maxdepth 1 \( -name '*.rules' -o -name '*.rules.in' \) \
	-printf '%f\n' | sed 's/\.in$//' | sort)
if [ -n "$rules" ]; then
	udevdir=$(pkg-config --variable=udevdir udev 2>/dev/null || echo /lib/udev)
	for r in $rules; do expected+=("$udevdir/rules.d/$r"); done
else
	echo "note: udev/ has no rules file yet; none expected"
fi

for p in "${expected[@]}"; do
	check "installed: $p" test -f "$dest$p"
done
extra=$(comm -23 "$WORKDIR/tree" <(printf '.%s\n' "${expected[@]}" | sort))
check "nothing else installed${extra:+ (also: $(xargs <<<"$extra"))}" test -z "$extra"

check "binary is executable" test -x "$dest$sbindir/luksfit"
check "binary runs" "$dest$sbindir/luksfit" --version
check "initramfs-tools hook is executable" test -x "$dest$datadir/initramfs-tools/hooks/luksfit"
check "hook calls the installed binary" grep -q "LUKSFIT:-$sbindir/luksfit" "$dest$datadir/initramfs-tools/hooks/luksfit"
check "dracut module is executable" test -x "$dest$prefix/lib/dracut/modules.d/90luksfit/module-setup.sh"
if [ -f "$dest$mandir/man8/luksfit.8" ]; then
	check "man page is roff for luksfit(8)" grep -q '^\.TH "luksfit" "8"' "$dest$mandir/man8/luksfit.8"
fi
check "completion defines _luksfit" grep -q '^complete -F _luksfit luksfit' "$dest$compdir/luksfit"

# Debian's layout: with prefix=/usr (dh_auto_configure) the files land at Debian's paths, so
# under any prefix they must sit at those paths with /usr replaced by the prefix.
for p in /usr/sbin/luksfit /usr/share/bash-completion/completions/luksfit \
	/usr/share/initramfs-tools/hooks/luksfit \
	/usr/lib/dracut/modules.d/90luksfit/module-setup.sh; do
	check "Debian layout: $p (as ${prefix}${p#/usr})" test -f "$dest$prefix${p#/usr}"
done
if command -v scdoc >/dev/null; then
	check "Debian layout: /usr/share/man/man8/luksfit.8 (as $prefix/share/man/man8/luksfit.8)" test -f "$dest$prefix/share/man/man8/luksfit.8"
fi

finish
