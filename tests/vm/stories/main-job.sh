#!/bin/bash
# Story "main-job": README's first command as tools/run.sh runs it in the lab (stock kernel,
# kernel messages kept off the console): every step succeeds, no kernel message is interleaved
# with the job's output, the kernel logged no error, and the job ends with its summary.
#
#   main-job.sh [lab.sh run options passed to the boot, e.g. --bin PATH]...
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
story_init main-job "$@"
job=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../tools" && pwd)/main-job.sh

boot job --variant stock --scenario "$job" --env LAB_QUIET_KERNEL=1
out=$(tr -d '\r' <"$tmp/job.console")

failed=0
# expect WHAT REGEX: a line of the console matches REGEX (extended).
expect() {
    if grep -Eq -- "$2" <<<"$out"; then
        echo "ok: $1"
    else
        echo "FAIL: $1: no line matches '$2'"
        failed=1
    fi
}
# refuse WHAT REGEX: no line of the console matches REGEX.
refuse() {
    if grep -Eq -- "$2" <<<"$out"; then
        echo "FAIL: $1:"
        grep -E -- "$2" <<<"$out" | head -n 5
        failed=1
    else
        echo "ok: $1"
    fi
}

expect "the summary" '^=== summary \(main job finished in [0-9]+\.[0-9] s\)$'
expect "host verdict" '^host: +(ready|degraded) \(luksfit check\)$'
expect "the choice and why" '^choice: +[a-z0-9,-]+/[0-9]+: .+'
expect "the flags" '^perf flags: +.+'
expect "validation" '^validation: validation passed \([0-9]+ ms\); nothing left behind$'
expect "the volume" '^volume: +LUKS2, UUID [0-9a-f-]{36}; keyslot [0-9]+ opens with your key; opened .*, closed luksfit-job$'
expect "step times" '^steps: +version [0-9.]+ s, check [0-9.]+ s, bench [0-9.]+ s, recommend [0-9.]+ s, validate [0-9.]+ s, image-create [0-9.]+ s, format [0-9.]+ s, open [0-9.]+ s, close [0-9.]+ s$'
expect "the kernel's log after the job" '^lab: the kernel logged no error during the scenario$'
refuse "no failed step" '^--- .* FAILED'
refuse "no kernel message in the job's output" 'WRITE_ZEROES|operation not supported error|^\[ *[0-9]+\.[0-9]+\]'
[[ $failed -eq 0 ]] || { echo "=== story main-job: FAILED"; exit 1; }
echo "=== story main-job: passed"
