# shellcheck shell=sh
# Guest side of tools/peer-bench.sh (one lab boot): luksfit against its peers. Prints one
# "@@peer KIND FIELDS..." line per figure; the host turns them into a table, JSON and a plot.
# shellcheck source=../tests/vm/guest/lib.sh
. /lab/lib.sh

ROUNDS=${PEER_ROUNDS:-5}
# Round 0 of parts 1 and 2 is an untimed warm-up for both sides (the report drops it): under
# emulation the first use of a cipher's code pays for translating it, and cryptsetup benchmark
# and fio have no warm-up of their own, while luksfit bench does.
now() { cut -d' ' -f1 /proc/uptime; }
emit() { echo "@@peer $*"; }
# Every measured command writes its output to a file, parsed once it has ended: a consumer
# in a pipe (jq loading its libraries) would compete with the measurement for the guest's
# only vCPU. (That is what made luksfit's decryption look 10-50 % slow in earlier runs.)
# luksfit bench --json ARGS: the median encryption and decryption of its candidate, "ENC DEC"
lf_bench() {
    luksfit --json bench "$@" >/tmp/measured.json
    jq -r '.candidates[0] | "\(.encrypt.median) \(.decrypt.median)"' /tmp/measured.json
}

CANDIDATES="aes-xts-plain64:512 aes-xts-plain64:256 xchacha12,aes-adiantum-plain64:256
xchacha20,aes-adiantum-plain64:256 serpent-xts-plain64:512 twofish-xts-plain64:512"

modprobe dm_crypt
mkdir -p /run/cryptsetup

step "1. cryptsetup benchmark vs luksfit bench --engine afalg, alternating, warm-up + $ROUNDS rounds"
for r in $(seq 0 "$ROUNDS"); do
    for cand in $CANDIDATES; do
        c=${cand%:*} k=${cand#*:}
        cryptsetup benchmark -c "$c" -s "$k" >/tmp/measured.txt 2>&1
        # shellcheck disable=SC2046  # one field, one argument
        set -- $(tail -n1 /tmp/measured.txt)
        cs_enc='' cs_dec=''
        eval "cs_enc=\${$(($# - 3))} cs_dec=\${$(($# - 1))}"
        emit cs "$r" "$c/$k" "$cs_enc" "$cs_dec"
        # shellcheck disable=SC2046  # lf_bench prints "ENC DEC": two arguments
        emit lf-afalg "$r" "$c/$k" $(lf_bench --engine afalg --cipher "$c" --key-size "$k")
    done
done

step "1b. copy path vs splice path (aes-xts-plain64/512)"
for r in $(seq 1 "$ROUNDS"); do
    # shellcheck disable=SC2046  # lf_bench prints "ENC DEC": two arguments
    emit lf-afalg-copy "$r" aes-xts-plain64/512 $(lf_bench --engine afalg \
        --cipher aes-xts-plain64 --key-size 512)
    # shellcheck disable=SC2046  # lf_bench prints "ENC DEC": two arguments
    emit lf-afalg-splice "$r" aes-xts-plain64/512 $(lf_bench --engine afalg \
        --cipher aes-xts-plain64 --key-size 512 --splice)
done

step "2. wall time of ranking the whole default set"
for r in $(seq 1 "$ROUNDS"); do
    t0=$(now)
    for cand in $CANDIDATES; do
        cryptsetup benchmark -c "${cand%:*}" -s "${cand#*:}" >/dev/null 2>&1
    done
    t1=$(now)
    luksfit --json bench --engine afalg >/tmp/full-afalg.json
    t2=$(now)
    emit wall "$r" "$(awk "BEGIN{print $t1 - $t0}")" "$(awk "BEGIN{print $t2 - $t1}")" \
        "$(jq -r .rounds /tmp/full-afalg.json)"
done
jq -r '.candidates[] | "@@peer full-afalg \(.label) \(.encrypt.median) \(.decrypt.median) \(.driver)"' /tmp/full-afalg.json

step "3. fio on a dm-crypt mapping vs luksfit bench --engine dmcrypt, same cipher and block size"
truncate -s 64M /tmp/fio.img
loop=$(losetup -f --show /tmp/fio.img)
for r in $(seq 0 "$ROUNDS"); do
    for cand in aes-xts-plain64:512 xchacha12,aes-adiantum-plain64:256 serpent-xts-plain64:512; do
        c=${cand%:*} k=${cand#*:}
        cryptsetup open --type plain --cipher "$c" --key-size "$k" --key-file /dev/urandom \
            --keyfile-size $((k / 8)) --sector-size 4096 "$loop" peerfio
        fio_write='' fio_read=''
        for rw in write read; do
            fio --name=p --filename=/dev/mapper/peerfio --direct=1 --rw="$rw" --bs=256k \
                --ioengine=psync --numjobs=4 --offset_increment=16M --size=16M \
                --group_reporting --time_based --runtime=1 --output-format=json \
                >/tmp/measured.json
            bw=$(jq ".jobs[0].$rw.bw_bytes / 1048576" /tmp/measured.json)
            eval "fio_$rw=$bw"
        done
        cryptsetup close peerfio
        emit fio "$r" "$c/$k" "$fio_write" "$fio_read"
        # shellcheck disable=SC2046  # lf_bench prints "ENC DEC": two arguments
        emit lf-dmcrypt "$r" "$c/$k" $(lf_bench --engine dmcrypt --cipher "$c" \
            --key-size "$k" --time-budget 3)
    done
done
losetup -d "$loop"

step "3b. luksfit bench --engine dmcrypt, the whole default set"
luksfit --json bench --engine dmcrypt --time-budget 25 >/tmp/full-dm.json
jq -r '.candidates[] | "@@peer full-dmcrypt \(.label) \(.encrypt.median) \(.decrypt.median) \(.driver)"' /tmp/full-dm.json
jq -r '.variants[] | "@@peer variant \(.label) \(.encrypt.median) \(.decrypt.median)"' /tmp/full-dm.json

step "4. ranking stability: 10 x recommend (afalg engine, nothing cached)"
for r in $(seq 1 10); do
    luksfit --json recommend --engine afalg --cache /tmp/none.json >/tmp/rec.json
    emit recommend "$r" "$(jq -r .choice.label /tmp/rec.json)" \
        "$(jq -r '.others[0].label' /tmp/rec.json)" "$(jq -r '.others[0].status' /tmp/rec.json)"
done
step "done"
