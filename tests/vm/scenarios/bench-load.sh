# shellcheck shell=sh
# bench-load: the dm-crypt bench on an idle guest, then again with a CPU load that starts once
# the bench is measuring and stops when it ends (the guest has one CPU: a busy loop halves what
# the bench gets). The loaded run must either rank as the idle one did or say that the
# measurement was disturbed; it must notice the load (pairs left out) either way. Both runs'
# tables are printed for the record.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

BENCH="--engine dmcrypt --time-budget 15 --sample-ms 100"

# json_value KEY FILE: the first scalar value of KEY in a pretty-printed JSON file.
json_value() {
    sed -n -e "s/^ *\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" \
        -e "s/^ *\"$1\": \([^\",]*\),\{0,1\}\$/\1/p" "$2" | head -n1
}
# figures FILE: each candidate's combined median in bench --json FILE.
figures() {
    awk '/"label":/ { l = $2; gsub(/"/, "", l); sub(/,$/, "", l) }
         /"combined": [{]/ { c = 1 }
         c && /"median":/ { m = $2; sub(/,$/, "", m); printf "  %-36s %s MiB/s\n", l, m; c = 0 }' "$1"
}

step "setup"
expect_success modprobe dm_crypt

step "idle: the bench as it ranks without a load"
# shellcheck disable=SC2086
expect_success luksfit --json bench $BENCH
printf '%s\n' "$OUT" >/tmp/idle.json
idle_winner=$(json_value winner /tmp/idle.json)
echo "idle: winner $idle_winner, $(json_value left_out /tmp/idle.json) of $(json_value pairs /tmp/idle.json) pairs left out"
assert_ne "$idle_winner" "" "idle winner"
figures /tmp/idle.json

step "loaded: a busy loop from the first I/O through the mapping to the end of the run"
# shellcheck disable=SC2086
luksfit --json bench $BENCH >/tmp/loaded.json 2>/tmp/loaded.err &
pid=$!
wait_for_bench_io "$pid"
sh -c 'while :; do :; done' &
load=$!
echo "load started (pid $load) while bench $pid measures"
rc=0
wait "$pid" || rc=$?
kill "$load"
wait "$load" 2>/dev/null || true
assert_eq "$rc" 0 "loaded bench's status"
cat /tmp/loaded.err
loaded_winner=$(json_value winner /tmp/loaded.json)
left_out=$(json_value left_out /tmp/loaded.json)
unreliable=$(json_value unreliable /tmp/loaded.json)
echo "loaded: winner $loaded_winner, $left_out of $(json_value pairs /tmp/loaded.json) pairs left out, unreliable: $unreliable"
figures /tmp/loaded.json
sed -n 's/^ *"summary": "\(.*\)"$/  summary: \1/p' /tmp/loaded.json
assert_ne "${left_out:-0}" 0 "the load was noticed (pairs left out)"
if [ "$unreliable" = true ]; then
    assert_contains "$(cat /tmp/loaded.json)" "the policy's preference order decides" "the note"
else
    assert_eq "$loaded_winner" "$idle_winner" "the loaded run ranks as the idle one"
fi
