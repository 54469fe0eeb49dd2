#!/usr/bin/env bash
# `star bench generation` trains one generation on real ranks and reports every candidate's
# timeline and the generation's totals; it writes no run directory, and bad options exit 2.
source "$(dirname "$0")/common.sh"

tiny_config bench
"$MPIEXEC" -np 2 "$STAR" bench generation bench.toml --genomes 5 > bench.log 2>&1 || { cat bench.log; fail "bench"; }
cat bench.log
# One row per candidate, numbered 1..5, each trained to the end by one of the two ranks.
[ "$(grep -cE '^ +[1-5] +[01] +[0-9]+ +eager .* ok +[1-9]' bench.log)" -eq 5 ] || fail "not one ok row per candidate"
grep -qE '^generation wall time +[0-9.]+ s: 5 trainings on 2 ranks in 2 groups' bench.log || fail "no wall time"
grep -qE '^tokens/s, all candidates +[1-9]' bench.log || fail "no tokens/s"
grep -qE '^overhead per training +[0-9.]+ s mean: build' bench.log || fail "no overhead"
# The CPU build records no kernels: it says so rather than print a figure.
grep -qF 'GPU busy                  -  (not recorded' bench.log || fail "busy fraction not marked as not recorded"
[ ! -e runs ] || fail "the benchmark created a run directory"

# --tokens below one batch is refused before any training, in one line, with exit status 2.
set +e
"$MPIEXEC" -np 2 "$STAR" bench generation bench.toml --tokens 8 > small.log 2>&1
status=$?
set -e
[ $status -eq 2 ] && grep -qF -- "--tokens: 8 tokens is less than one batch" small.log || { cat small.log; fail "--tokens 8 not refused"; }
[ "$(grep -c 'star bench generation' small.log)" -eq 1 ] || { cat small.log; fail "not one line"; }
echo "bench generation: ok"
