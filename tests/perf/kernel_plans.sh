#!/usr/bin/env bash
# Compares the blocking plans of the scan and the short convolution on this GPU (what the
# defaults in kernels/linear_scan.hpp and kernels/causal_conv1d.hpp were chosen from), at
# B=8, C=768 and the issue's lengths, fp32 and bf16. Prints `star bench kernels` tables.
#   bash tests/perf/kernel_plans.sh [star binary] [lengths]
# KERNELS=linear_scan (or causal_conv1d) sweeps only that one.
set -euo pipefail
star=${1:-build/cuda/src/app/star} lengths=${2:-1024,4096,16384} kernels=${KERNELS:-linear_scan causal_conv1d}
join() { local IFS=,; echo "$*"; }
for dtype in fp32 bf16; do
  per_thread=0; [ $dtype = bf16 ] && per_thread="0 1"  # fp32 is one channel per thread either way
  scan=() conv=()
  for s in 8 16; do for v in $per_thread; do for p in 4 8 16; do for l in 16 32; do for w in 0 1 2 4 8; do
    scan+=("$s:$v:$p:1:$l:$w")  # w: look-back, 0 = the whole-sequence walk (with prefetch)
  done; done; done; done; done
  for ft in 16 32 64; do for bt in 16 32 64 128 256; do for u in 4 8; do for v in $per_thread; do conv+=("$ft:$bt:$u:$v"); done; done; done; done
  if [[ " $kernels " == *" linear_scan "* ]]; then
    "$star" bench kernels --device cuda --dtype $dtype --batch 8 --channels 768 --lengths "$lengths" --repeats 20 \
      --only linear_scan --scan-plans "$(join "${scan[@]}")"
  fi
  if [[ " $kernels " == *" causal_conv1d "* ]]; then
    "$star" bench kernels --device cuda --dtype $dtype --batch 8 --channels 768 --lengths "$lengths" --repeats 20 \
      --only causal_conv1d --conv-plans "$(join "${conv[@]}")"
  fi
done
