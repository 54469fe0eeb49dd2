#!/usr/bin/env bash
# One generation of a search (`star bench generation`) for each count of ranks sharing this
# node's GPU, to choose how many candidates train on one GPU at once: the wall time, the GPU's
# busy fraction (profiler) and the tokens/s over all candidates, one log per count.
#   bash tests/perf/generation_ranks.sh <star> <config> <out dir> <tokens per training> <ranks...>
# Environment: STAR_GENERATION_PROFILE (auto; off: no profiler, to see what it costs),
# STAR_GENERATION_TIMEOUT (300 s per count).
set -uo pipefail
star=$1 config=$2 out=$3 tokens=$4
shift 4
mkdir -p "$out"
for ranks in "$@"; do
  log=$out/generation-$ranks-ranks-${STAR_GENERATION_PROFILE:-auto}.log
  timeout "${STAR_GENERATION_TIMEOUT:-300}" mpirun --allow-run-as-root --oversubscribe -np "$ranks" "$star" bench generation \
    "$config" --tokens "$tokens" --profile "${STAR_GENERATION_PROFILE:-auto}" > "$log" 2>&1
  echo "== $ranks ranks (exit $?)"
  grep -E "^(generation wall|GPU busy|tokens/s|overhead|groups idle|warning)" "$log"
done
