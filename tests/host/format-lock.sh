#!/usr/bin/env bash
# format's lock folder is /run/luksfit: root's, mode 0700, never followed through a symlink.
# Something planted there (a symlink to another folder, a folder of another user, a folder
# anyone may write to) is refused (exit 6) and nothing is created through it; a missing folder
# is created 0700. The real path is used: whatever was there is moved aside and put back.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd stat
FAST=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
RUN=/run/luksfit
SAVED="/run/luksfit.saved-by-test.$$"
KEY="$WORKDIR/key"
printf 'luksfit-test' >"$KEY"
chmod 600 "$KEY"
img="$WORKDIR/vol.img"
"$LUKSFIT" image create "$img" --size 64M >/dev/null

if [ -e "$RUN" ] || [ -L "$RUN" ]; then
	mv "$RUN" "$SAVED"
fi
restore() {
	rm -rf "$RUN"
	if [ -e "$SAVED" ] || [ -L "$SAVED" ]; then
		mv "$SAVED" "$RUN"
	fi
}
on_cleanup restore

dry_run() { run "$LUKSFIT" format "$img" --dry-run --key-file "$KEY" "${FAST[@]}"; }

# A symlink to a folder elsewhere: refused, nothing created there.
elsewhere="$WORKDIR/elsewhere"
mkdir -m 0700 "$elsewhere"
ln -s "$elsewhere" "$RUN"
dry_run
expect_rc "symlink" 6
expect_err "symlink" "$RUN is not a folder (a symlink or another file)"
check "symlink: nothing created through it" test -z "$(ls -A "$elsewhere")"
check "symlink: left as it was" test -L "$RUN"
rm "$RUN"

# A folder of another user.
mkdir -m 0700 "$RUN"
chown 65534 "$RUN"
dry_run
expect_rc "another user's folder" 6
expect_err "another user's folder" "$RUN belongs to user 65534"
check "another user's folder: nothing created in it" test -z "$(ls -A "$RUN")"
rmdir "$RUN"

# A folder anyone may write to.
mkdir "$RUN"
chmod 1777 "$RUN"
dry_run
expect_rc "world-writable folder" 6
expect_err "world-writable folder" "$RUN has mode 1777, not 0700"
check "world-writable folder: nothing created in it" test -z "$(ls -A "$RUN")"
rmdir "$RUN"

# Missing: created root-only, and format works.
dry_run
expect_rc "created" 0
check "created: a folder, root's, mode 0700" test "$(stat -c '%F %u %a' "$RUN")" = "directory 0 700"
check "created: one lock file in it" test "$(find "$RUN" -type f | wc -l)" -eq 1
finish
