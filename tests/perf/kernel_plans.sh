#!/usr/bin/env bash
# Compares the blocking plans of the scan and the short convolution on this GPU (what the
# defaults in kernels/linear_scan.hpp and kernels/causal_conv1d.hpp were chosen from), at
# B=8, C=768 and the issue's lengths, fp32 and bf16. Prints `star bench kernels` tables.
#   bash tests/perf/kernel_plans.sh [star binary] [lengths]
set -euo pipefail
star=${1:-build/cuda/src/app/star} lengths=${2:-1024,4096,16384}
join() { local IFS=,; echo "$*"; }
for dtype in fp32 bf16; do
  per_thread=0; [ $dtype = bf16 ] && per_thread="0 1"  # fp32 is one channel per thread either way
  scan=() conv=()
  for s in 4 8 16; do for v in $per_thread; do for p in 8 16 32; do for l in 8 16 32; do scan+=("$s:$v:$p:1:$l"); done; done; done; done
  for ft in 16 32 64; do for bt in 64 128; do for u in 1 4 8; do for v in $per_thread; do conv+=("$ft:$bt:$u:$v"); done; done; done; done
  "$star" bench kernels --device cuda --dtype $dtype --batch 8 --channels 768 --lengths "$lengths" --repeats 20 \
    --only linear_scan --scan-plans "$(join "${scan[@]}")"
  "$star" bench kernels --device cuda --dtype $dtype --batch 8 --channels 768 --lengths "$lengths" --repeats 20 \
    --only causal_conv1d --conv-plans "$(join "${conv[@]}")"
done
