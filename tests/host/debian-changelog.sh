#!/usr/bin/env bash
# debian/changelog's newest entry, the Meson project version and `luksfit --version` name one
# version: the packages are native, so a release bumps all three together (docs/packaging.md).
. "$(dirname "$0")/lib.sh"
need_cmd meson jq
: "${LUKSFIT_SOURCE_ROOT:?}" "${LUKSFIT_BUILD_ROOT:?}"

# The first line: "luksfit (VERSION) DISTRIBUTION; urgency=...", as dpkg-parsechangelog reads it.
changelog=$(sed -n '1s/^luksfit (\([^)]*\)) .*/\1/p' "$LUKSFIT_SOURCE_ROOT/debian/changelog")
check "debian/changelog starts with a luksfit entry" test -n "$changelog"
if command -v dpkg-parsechangelog >/dev/null; then
	check "dpkg-parsechangelog reads the same version" \
		test "$(dpkg-parsechangelog -l "$LUKSFIT_SOURCE_ROOT/debian/changelog" -S Version)" = "$changelog"
fi
project=$(meson introspect --projectinfo "$LUKSFIT_BUILD_ROOT" | jq -r .version)
check "meson project version $project = debian/changelog $changelog" test "$project" = "$changelog"

run "$LUKSFIT" --version
expect_rc "--version" 0
check "luksfit --version names $changelog" test "$(head -n1 "$WORKDIR/out")" = "luksfit $changelog"
finish
