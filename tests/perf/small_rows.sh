#!/usr/bin/env bash
# On a GPU node with the CUDA build (tests/perf/gpu_check.sh build): the sizes a search trains its
# candidates at, `star bench train` with and without the step replayed as a CUDA graph, beside
# the shared PyTorch anchor (../shared/perf/torch_small.py: whole step's forward and loss compiled,
# with and without CUDA graphs) in the same run. Heads: width / 64.
#   bash tests/perf/small_rows.sh <shared perf folder> <out dir> [torch modes, default: eager compile graphs]
# GPU=H200: refuse any other card (tests/perf/which_gpu.sh); STAR=: the binary to run.
set -uo pipefail
cd "$(dirname "$0")/../.."
perf=$1 out=$2
shift 2
modes=${*:-eager compile graphs}
star=${STAR:-build/cuda/src/app/star}  # or a binary gpu_check.sh exported
mkdir -p "$out"
log="$out/small_rows.txt"
source tests/perf/which_gpu.sh "$log"  # the card, and GPU= to insist on one
# kinds (torch_small.py) | star motif | width | vocab | batch | sequence
rows=("AMAMAMAM 31111-11111 256 256 32 1024"
      "AMAM 31111-11111 128 32 64 256"
      "CMAMCMAM 21111-11111-31111-11111 256 256 32 1024")
for row in "${rows[@]}"; do
  read -r kinds motif width vocab batch seq <<< "$row"
  timeout 200 $star bench train --device cuda --genome "$motif" --depth ${#kinds} --width "$width" --heads $(( width / 64 )) \
    --vocab "$vocab" --mlp-ratio 2.6666667 --batch "$batch" --seq "$seq" --steps ${STEPS:-50} --warmup 10 2>&1 \
    | grep -E "^star bench|^steps|^tokens/s|^step time" | tee -a "$log"
  PYTHONUNBUFFERED=1 timeout 300 python3 "$perf/torch_small.py" "$kinds" "$width" $(( width / 64 )) "$vocab" "$batch" "$seq" \
    $modes 2>&1 | grep '^{' | tee -a "$log"
done
