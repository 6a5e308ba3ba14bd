# shellcheck shell=bash
# tracked_files SOURCE_ROOT: the files git tracks in SOURCE_ROOT, one a line (paths relative to
# it). Skips the test (exit 77) outside a git checkout: the lint suite checks what is tracked.
tracked_files() {
	command -v git >/dev/null 2>&1 || { echo "SKIP: git is not installed"; exit 77; }
	git -C "$1" rev-parse --git-dir >/dev/null 2>&1 ||
		{ echo "SKIP: $1 is not a git checkout"; exit 77; }
	git -C "$1" ls-files
}

# need_tool NAME: skips the test (exit 77) when NAME is missing (tools/deps.sh lint installs it).
need_tool() {
	command -v "$1" >/dev/null 2>&1 ||
		{ echo "SKIP: $1 is not installed (tools/deps.sh lint)"; exit 77; }
}
