#!/bin/bash
# Story "prediction-matrix-USERLAND": every prediction `luksfit check` makes about opening a
# volume, proven by doing it. One boot (6.1, AF_ALG present, bookworm userland) makes the
# volumes of scenarios/matrix.sh on the shared disk; one (7.2 without AF_ALG, USERLAND) runs
# luksfit harden on one of them; then one boot per cell (kernel 6.1 and
# 7.2, variants stock, no-afalg and no-dmcrypt, in USERLAND) predicts and opens each volume
# with each keyslot's key. Every cell runs even when one fails; the story then prints the whole
# table (also kept as $LAB_LOG_DIR/prediction-matrix-USERLAND.md) and fails on any row where
# prediction and outcome disagree, or on a cell that did not finish.
#
#   prediction-matrix.sh USERLAND [lab.sh run options passed to every boot]...
set -euo pipefail

userland=${1:?usage: prediction-matrix.sh USERLAND [lab.sh run options]...}
shift
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
story_init "prediction-matrix-$userland" "$@"
# Seven volumes of 32 MiB (scenarios/matrix.sh); the default disk size is too small.
disk_size=224M

matrix_boot() {
    local name=$1
    shift
    boot "$name" --env "LAB_PASSPHRASE=matrix-$seed" "$@"
}

matrix_boot make --kernel 6.1 --variant stock --userland bookworm \
    --scenario "$scenarios/matrix.sh" --env LAB_MATRIX_PHASE=make

# luksfit harden where AF_ALG is gone, with this userland's libcryptsetup: it rewrites the
# Adiantum keyslot where check predicts that keyslot opens there, else refuses.
matrix_boot harden --kernel 7.2 --variant no-afalg --userland "$userland" \
    --scenario "$scenarios/matrix.sh" --env LAB_MATRIX_PHASE=harden \
    --env "LAB_MATRIX_CELL=7.2/no-afalg/$userland"
hardened=0
harden_line=$(tr -d '\r' <"$tmp/harden.console" | sed -n 's/^matrix-harden: //p' | tail -n1)
[[ $harden_line != *"| rewritten" ]] || hardened=1

failed_cells=()
for kernel in 6.1 7.2; do
    for variant in stock no-afalg no-dmcrypt; do
        cell=$kernel/$variant/$userland
        if ! matrix_boot "cell-$kernel-$variant" --kernel "$kernel" --variant "$variant" \
            --userland "$userland" --scenario "$scenarios/matrix.sh" \
            --env LAB_MATRIX_PHASE=cell --env "LAB_MATRIX_CELL=$cell" \
            --env "LAB_MATRIX_HARDENED=$hardened"; then
            failed_cells+=("$cell")
        fi
    done
done

table=$tmp/table.md
{
    echo "| cell (kernel/variant/userland) | volume | key | predicted | outcome | |"
    echo "|---|---|---|---|---|---|"
    # sed reads every console whole (no SIGPIPE); rows in boot order.
    cat "$tmp"/cell-*.console | tr -d '\r' | sed -n 's/^matrix-row: \(.*\)$/| \1 |/p'
} >"$table"
echo "" >>"$table"
echo "luksfit harden of the volume \"hardened\": $harden_line" >>"$table"
echo "=== story $story: the prediction matrix"
cat "$table"
[[ -z ${LAB_LOG_DIR:-} ]] || cp "$table" "$LAB_LOG_DIR/$story.md"
rows=$(grep -c '^| [0-9]' "$table" || true)
bad=$(grep -c '| DISAGREE |$' "$table" || true)
echo "=== story $story: $rows rows, $bad disagree, ${#failed_cells[@]} cell(s) failed"
if ((bad > 0 || ${#failed_cells[@]} > 0)); then
    echo "story $story: FAIL: cells ${failed_cells[*]:-none} failed; $bad rows disagree" >&2
    exit 1
fi
echo "=== story $story: passed"
