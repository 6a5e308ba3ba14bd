#!/usr/bin/env bash
# luksfit against its peers, in one kernel-lab boot (docs/benchmarks.md):
#   1. cryptsetup benchmark vs luksfit bench --engine afalg per default candidate (target:
#      medians within +-10 %), and the wall time of ranking the whole set (target: <= 1/4);
#   2. fio on a dm-crypt mapping vs luksfit bench --engine dmcrypt (target: within +-15 %);
#   3. 10 x recommend: the same top choice whenever the top two differ beyond the noise.
# Prints a table, writes bench/results/peer-bench.{json,md,log} and, with gnuplot, a plot.
#
#   tools/peer-bench.sh [BUILD_DIR]      (default: build; needs ninja -C BUILD_DIR first)
# Environment: PEER_ROUNDS (default 5), PEER_KERNEL (a lab kernel: 6.1 by default, 6.1-old,
# 6.12, 7.2; the results of another kernel go to bench/results/KERNEL/), LAB_CACHE (default
# BUILD_DIR/lab-cache).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
kernel=${PEER_KERNEL:-6.1}
out=bench/results
[ "$kernel" = 6.1 ] || out=bench/results/$kernel
mkdir -p "$out"
: "${LAB_CACHE:=$build/lab-cache}"
export LAB_CACHE

for f in "$build/src/luksfit" "$build/tests/vm/lab_probe"; do
	[ -x "$f" ] || { echo "peer-bench: $f missing: run ninja -C $build" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "peer-bench: needs jq" >&2; exit 1; }

# The guest is emulated on the host's CPUs: a busy host skews the figures, so say how busy.
load_start=$(cut -d' ' -f1 /proc/loadavg)
[ "${load_start%.*}" -lt 1 ] ||
	echo "peer-bench: warning: host load average is $load_start; the figures will be noisy" >&2
tests/vm/lab.sh run --kernel "$kernel" --variant stock --scenario bench/peer-bench-guest.sh --timeout 1500 \
	--bin "$build/src/luksfit" --bin "$build/tests/vm/lab_probe" --bin "$(command -v jq)" \
	--tool fio --env "PEER_ROUNDS=${PEER_ROUNDS:-5}" --log "$out/peer-bench.log" >/dev/null

tr -d '\r' <"$out/peer-bench.log" | sed -n 's/^@@peer //p' >"$out/peer-bench.tsv"
load_end=$(cut -d' ' -f1 /proc/loadavg)
python3 bench/peer-report.py "$out/peer-bench.tsv" "$out" \
	"$(sed -n 's/^lab: guest \([^,]*\),.*/\1/p;T;q' "$out/peer-bench.log")" "$load_start" "$load_end"
cat "$out/peer-bench.md"
if command -v gnuplot >/dev/null; then
	gnuplot -e "datafile='$out/throughput.dat'; outfile='$out/throughput.png'" bench/throughput.gp
	echo "plot: $out/throughput.png"
else
	echo "peer-bench: gnuplot not installed (apt-get install gnuplot-nox): no plot" >&2
fi
