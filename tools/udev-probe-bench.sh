#!/usr/bin/env bash
# How long `luksfit udev-probe` takes per udev event, against `blkid -p` (the probe udev's
# blkid builtin runs for every block event, here as a process of its own) on the same loop
# devices: a LUKS2 image and an ext4 image. Process wall time of RUNS interleaved runs each
# (median, p95), and CPU time per run (user+sys, mean over the runs). Writes
# bench/results/udev-probe.{md,tsv}; docs/udev.md quotes the figures.
#
#   tools/udev-probe-bench.sh [BUILD_DIR]     (default: build; root, for the loop devices)
# Environment: RUNS (default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${RUNS:-300}
luksfit=$PWD/$build/src/luksfit
out=bench/results
[ -x "$luksfit" ] || { echo "udev-probe-bench: $luksfit missing: run ninja -C $build" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "udev-probe-bench: needs root (loop devices)" >&2; exit 1; }
for c in losetup cryptsetup mkfs.ext4 blkid; do
	command -v "$c" >/dev/null || { echo "udev-probe-bench: needs $c" >&2; exit 1; }
done

work=$(mktemp -d /tmp/udev-probe-bench.XXXXXX)
loops=()
cleanup() {
	local d
	for d in "${loops[@]}"; do losetup -d "$d" || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

truncate -s 64M "$work/luks.img" "$work/ext4.img"
printf 'bench' | cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 512 \
	--sector-size 4096 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 "$work/luks.img" - >/dev/null
mkfs.ext4 -q "$work/ext4.img"
luks=$(losetup -f --show "$work/luks.img"); loops+=("$luks")
ext4=$(losetup -f --show "$work/ext4.img"); loops+=("$ext4")

names=("luksfit udev-probe, LUKS2" "blkid -p, LUKS2" "luksfit udev-probe, ext4" "blkid -p, ext4"
	"cryptsetup isLuks, LUKS2 (same libcryptsetup load)" "cryptsetup --version (library loading)"
	"/bin/true (process spawn)")
cmds=("$luksfit udev-probe $luks" "blkid -p $luks" "$luksfit udev-probe $ext4" "blkid -p $ext4"
	"cryptsetup isLuks $luks" "cryptsetup --version" "/bin/true")

# Sanity: the probes answer as udev expects before anything is timed.
$luksfit udev-probe "$luks" | grep -q '^LUKSFIT_CIPHER=aes-xts-plain64$'
[ -z "$($luksfit udev-probe "$ext4")" ]
blkid -p "$luks" | grep -q 'TYPE="crypto_LUKS"'

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Wall time, microseconds ($EPOCHREALTIME: no extra process), runs of all commands interleaved
# so that load from elsewhere hits them alike; one warm-up round first.
for i in "${!cmds[@]}"; do ${cmds[i]} >/dev/null 2>&1 || true; done
for i in "${!cmds[@]}"; do : >"$work/wall.$i"; done
for ((r = 0; r < runs; r++)); do
	for i in "${!cmds[@]}"; do
		t0=$EPOCHREALTIME
		${cmds[i]} >/dev/null 2>&1
		t1=$EPOCHREALTIME
		echo $((${t1/./} - ${t0/./})) >>"$work/wall.$i"
	done
done

# CPU time per run: children's user+sys from `times`, over RUNS runs of one command.
# (`times` must run in this shell: in a $(...) subshell it would count that subshell's children.)
cpu_ticks() { sed -n 2p "$work/times" | awk '{
	split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.0f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1e6 }'; }
cpu=()
for i in "${!cmds[@]}"; do
	times >"$work/times"
	c0=$(cpu_ticks)
	for ((r = 0; r < runs; r++)); do ${cmds[i]} >/dev/null 2>&1; done
	times >"$work/times"
	c1=$(cpu_ticks)
	cpu+=($(((c1 - c0) / runs)))
done

stats() { sort -n "$1" | awk '{a[NR] = $1} END {
	printf "%.2f %.2f\n", a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.95 + 0.5)] / 1000 }'; }
kernel=$(uname -r)
load_before=${load_before:-?}
cpu_model=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)
{
	echo "# luksfit udev-probe vs blkid -p ($runs runs each, $(date -u +%Y-%m-%d))"
	echo
	echo "Host: kernel $kernel, $cpu_model, $(nproc) CPUs, load average $load_before at the start;"
	echo "loop devices on 64 MiB images."
	echo
	echo "| command | wall median (ms) | wall p95 (ms) | CPU per run (ms) |"
	echo "|---|---:|---:|---:|"
	for i in "${!cmds[@]}"; do
		read -r med p95 < <(stats "$work/wall.$i")
		printf '| %s | %s | %s | %.2f |\n' "${names[i]}" "$med" "$p95" "$(awk "BEGIN {print ${cpu[i]} / 1000}")"
		printf '%s\t%s\t%s\t%s\n' "${names[i]}" "$med" "$p95" "${cpu[i]}" >>"$work/tsv"
	done
	read -r lm _ < <(stats "$work/wall.0")
	read -r bm _ < <(stats "$work/wall.1")
	echo
	printf 'Ratio, LUKS2 wall medians: udev-probe / blkid -p = %.1f\n' "$(awk "BEGIN {print $lm / $bm}")"
} >"$work/md"
mkdir -p "$out"
cp "$work/md" "$out/udev-probe.md"
cp "$work/tsv" "$out/udev-probe.tsv"
cat "$out/udev-probe.md"
