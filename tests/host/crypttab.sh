#!/usr/bin/env bash
# luksfit crypttab: the line for a LUKS2 image made with the cryptsetup CLI; --write into a
# private crypttab file (atomic, backup, comments and other lines kept byte for byte,
# duplicate name or volume refused with exit 5); nothing written without --write.
. "$(dirname "$0")/lib.sh"
need_cmd jq cryptsetup cmp stat

cd "$WORKDIR" || exit 1
printf 'crypttab-passphrase' >key
chmod 600 key
truncate -s 32M vol.img other.img blank.img fmt.img
cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 512 \
	--pbkdf pbkdf2 --pbkdf-force-iterations 1000 vol.img key >/dev/null 2>&1 ||
	skip "cryptsetup cannot format aes-xts-plain64 here"
cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 256 \
	--pbkdf pbkdf2 --pbkdf-force-iterations 1000 other.img key >/dev/null 2>&1
uuid=$(cryptsetup luksUUID vol.img)
other_uuid=$(cryptsetup luksUUID other.img)
# Without device-mapper the dm-crypt target version is unknown, so no performance flags are
# offered (the rule of open and format); the lab scenario crypttab-stock covers real dm-crypt.
flags=""

# A crypttab with comments, odd spacing, a tab and no final newline.
printf '# <target name>\t<source device>  <key file>  <options>\n\nroot  UUID=11111111-2222-3333-4444-555555555555 none luks,discard\n   # keep me\nswap /dev/sdb2 /dev/urandom swap,cipher=aes-xts-plain64' >tab
chmod 600 tab
cp tab tab.orig

# --- printing only ----------------------------------------------------------------------
run "$LUKSFIT" crypttab vol.img data --crypttab tab
expect_rc "print" 0
check "print: the line" test "$OUT" = "data UUID=$uuid none luks$flags"
expect_no_err "print"
check "print: file untouched" cmp -s tab tab.orig
check "print: no backup made" test ! -e tab.luksfit-bak

run "$LUKSFIT" crypttab vol.img data --initrd --discard --key-file /etc/keys/data.key --crypttab tab
expect_rc "print with options" 0
check "print with options: the line" \
	test "$OUT" = "data UUID=$uuid /etc/keys/data.key luks$flags,discard,x-initrd.attach"

run "$LUKSFIT" crypttab vol.img data --no-perf-flags --crypttab tab
check "--no-perf-flags: luks only" test "$OUT" = "data UUID=$uuid none luks"

run "$LUKSFIT" crypttab vol.img data -v --crypttab tab
expect_err "-v" "performance flags: none: the dm-crypt target version is unknown here"

run "$LUKSFIT" crypttab vol.img root --crypttab tab
expect_rc "print, name taken" 0
expect_err "print, name taken" "line 3 already maps 'root'; --write would refuse this line"
check "print, name taken: file untouched" cmp -s tab tab.orig

run "$LUKSFIT" crypttab vol.img data --json --crypttab tab
expect_rc "print --json" 0
expect_json "print --json" ".ok and .command == \"crypttab\" and .uuid == \"$uuid\""
expect_json "print --json" ".line == \"data UUID=$uuid none luks$flags\" and .written == false and .backup == null"
expect_json "print --json" '.options[0] == "luks" and .from_header == [] and .conflict == null'

run "$LUKSFIT" crypttab nowhere.img data
expect_rc "missing device" 4
run "$LUKSFIT" crypttab blank.img data --crypttab tab
expect_rc "not a LUKS image" 4
expect_err "not a LUKS image" "not a LUKS volume"
run "$LUKSFIT" crypttab blank.img data --json --crypttab tab
expect_json "not a LUKS image --json" '.ok == false and .error.exit_code == 4'
run "$LUKSFIT" crypttab vol.img a/b --crypttab tab
expect_rc "name with a slash" 1
expect_err "name with a slash" "invalid name 'a/b'"
run "$LUKSFIT" crypttab vol.img data --key-file "my key" --crypttab tab
expect_rc "key file with a blank" 1
run "$LUKSFIT" crypttab vol.img
expect_rc "NAME missing" 1
check "nothing written by any of the above" cmp -s tab tab.orig

# A volume whose LUKS2 header stores the flags gets a line without them: on this host luksfit
# format stores none (no dm-crypt target version), so the lab scenario crypttab-stock tests it.

# --- --write ------------------------------------------------------------------------------
run "$LUKSFIT" crypttab vol.img data --write --crypttab tab
expect_rc "write" 0
expect_out "write" "added to tab (line 6)"
expect_out "write" "previous version kept in $WORKDIR/tab.luksfit-bak"
{ cat tab.orig; printf '\ndata UUID=%s none luks%s\n' "$uuid" "$flags"; } >tab.expected
check "write: old bytes kept, line appended" cmp -s tab tab.expected
check "write: backup is the old file byte for byte" cmp -s tab.luksfit-bak tab.orig
check "write: mode kept" test "$(stat -c %a tab)" = 600
check "write: backup mode kept" test "$(stat -c %a tab.luksfit-bak)" = 600
check "write: no temporary file left" test -z "$(find . -name '.tab.luksfit-*')"

cp tab tab.after1
run "$LUKSFIT" crypttab vol.img data --write --crypttab tab
expect_rc "write, same name again" 5
expect_err "write, same name again" "line 6 already maps 'data'; nothing was written"
check "write refused: file untouched" cmp -s tab tab.after1
check "write refused: backup untouched" cmp -s tab.luksfit-bak tab.orig

run "$LUKSFIT" crypttab vol.img data2 --write --json --crypttab tab
expect_rc "write, same volume under another name" 5
expect_json "same volume --json" ".ok == false and .error.exit_code == 5 and (.error.message | test(\"already lists this volume \\\\(UUID $uuid\\\\) as 'data'\"))"
check "same volume: file untouched" cmp -s tab tab.after1

run "$LUKSFIT" crypttab other.img data3 --write --initrd --json --crypttab tab
expect_rc "write a second volume" 0
expect_json "second volume --json" ".written and .created == false and .line_number == 7 and .backup == \"$WORKDIR/tab.luksfit-bak\""
{ cat tab.after1; printf 'data3 UUID=%s none luks%s,x-initrd.attach\n' "$other_uuid" "$flags"; } >tab.expected2
check "second write: appended after the first" cmp -s tab tab.expected2
check "second write: backup is the previous version" cmp -s tab.luksfit-bak tab.after1

# A file that does not exist yet is created (0644), with no backup.
run "$LUKSFIT" crypttab vol.img data --write --crypttab new-tab
expect_rc "write a new file" 0
expect_out "write a new file" "created new-tab (line 1)"
check "new file: the line" test "$(cat new-tab)" = "data UUID=$uuid none luks$flags"
check "new file: mode 644" test "$(stat -c %a new-tab)" = 644
check "new file: no backup" test ! -e new-tab.luksfit-bak

# A symlinked crypttab: the file it points to is replaced, the link stays.
cp tab.orig real-tab
ln -s real-tab link-tab
run "$LUKSFIT" crypttab vol.img data --write --crypttab link-tab
expect_rc "write through a symlink" 0
check "symlink kept" test -L link-tab
check "symlink target written" grep -qx "data UUID=$uuid none luks$flags" real-tab
check "symlink: backup next to the target" cmp -s real-tab.luksfit-bak tab.orig

# --- concurrent --write ------------------------------------------------------------------
# 16 writers at once, each adding another volume: the lock held from reading the file to
# renaming the new one over it keeps every line (without it, most were lost).
n=16
printf '# concurrent writers\n' >ctab
for i in $(seq "$n"); do
	cp --sparse=always vol.img "c$i.img"
	cryptsetup luksUUID -q --uuid "$(cat /proc/sys/kernel/random/uuid)" "c$i.img"
done
pids=()
for i in $(seq "$n"); do
	"$LUKSFIT" crypttab "c$i.img" "c$i" --write --crypttab ctab >"c$i.out" 2>&1 &
	pids+=("$!")
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
check "concurrent: every writer succeeded ($failed failed)" test "$failed" -eq 0
lost=0
for i in $(seq "$n"); do
	line="c$i UUID=$(cryptsetup luksUUID "c$i.img") none luks$flags"
	grep -qx "$line" ctab || lost=$((lost + 1))
done
check "concurrent: all $n lines survive ($lost lost)" test "$lost" -eq 0
check "concurrent: nothing else in the file" test "$(wc -l <ctab)" -eq $((n + 1))
check "concurrent: the comment kept" test "$(head -n 1 ctab)" = "# concurrent writers"
check "concurrent: backup is the file before the last write, whole" \
	sh -c 'head -n -1 ctab | cmp -s - ctab.luksfit-bak'
check "concurrent: lock file root-only" test "$(stat -c %a ctab.luksfit-lock)" = 600
check "concurrent: no temporary file left" test -z "$(find . -name '.ctab.luksfit-*')"

# A lock file path that is a symlink is refused (O_NOFOLLOW), and nothing is written.
cp tab.orig ltab
ln -s elsewhere ltab.luksfit-lock
run "$LUKSFIT" crypttab vol.img data --write --crypttab ltab
expect_rc "symlinked lock file" 1
expect_err "symlinked lock file" "ltab.luksfit-lock"
check "symlinked lock file: not followed" test ! -e elsewhere
check "symlinked lock file: crypttab untouched" cmp -s ltab tab.orig

# A crypttab that is a FIFO: refused at once (no wait for a writer), never replaced.
mkfifo fifo-tab
run timeout 10 "$LUKSFIT" crypttab vol.img data --write --crypttab fifo-tab
expect_rc "FIFO crypttab, --write" 1
expect_err "FIFO crypttab, --write" "fifo-tab is a FIFO, not a regular file"
check "FIFO crypttab: still a FIFO" test -p fifo-tab
run timeout 10 "$LUKSFIT" crypttab vol.img data --crypttab fifo-tab
expect_rc "FIFO crypttab, print" 0
expect_err "FIFO crypttab, print" "cannot check fifo-tab for a conflicting line"
mkfifo fifo.img
run timeout 10 "$LUKSFIT" crypttab fifo.img data --crypttab tab
expect_rc "FIFO device" 4
expect_err "FIFO device" "fifo.img is a FIFO, not a regular file or block device"

# A folder that cannot be written: exit 2, nothing changed.
if [ "$(id -u)" -ne 0 ]; then
	mkdir ro && cp tab.orig ro/tab && chmod 555 ro
	run "$LUKSFIT" crypttab vol.img data --write --crypttab ro/tab
	expect_rc "read-only folder" 2
	check "read-only folder: untouched" cmp -s ro/tab tab.orig
	chmod 755 ro
fi

finish
