# shellcheck shell=sh
# afalg-missing (7.2 no-afalg): without af_alg.ko, socket(AF_ALG) fails and luksfit says so.
# shellcheck source=../guest/lib.sh
. /lab/lib.sh

step "socket(AF_ALG) fails"
expect_status 1 lab_probe afalg-socket
assert_eq "$OUT" EAFNOSUPPORT "afalg-socket"
expect_failure modprobe af_alg

step "luksfit check reports it"
capture luksfit check
assert_line "$OUT" '^  AF_ALG +no ' "check"
