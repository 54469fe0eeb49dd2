#!/usr/bin/env bash
# On a GPU node with the CUDA build (tests/perf/gpu_check.sh build): issue 21's two 124M rows,
# `star bench train` (the step replayed as a CUDA graph) beside the shared PyTorch anchor
# (../shared/perf/torch_reference.py: the whole step's forward and loss compiled, bf16 autocast,
# fused AdamW) in the same run, batch 16 x 4096. The hybrid: star's SA-3 has 3 key-value heads
# where the anchor's GQA has 4 (12 query heads both).
#   bash tests/perf/rows_124m.sh <shared perf folder> <out dir> [torch modes, default: compile]
# GPU=H200: refuse any other card (tests/perf/which_gpu.sh); STAR=: the binary to run.
set -uo pipefail
cd "$(dirname "$0")/../.."
perf=$(cd "$1" && pwd) out=$2
shift 2
modes=${*:-compile}
star=${STAR:-build/cuda/src/app/star}  # or a binary gpu_check.sh exported
mkdir -p "$out"
log="$out/rows_124m.txt"
source tests/perf/which_gpu.sh "$log"  # the card, and GPU= to insist on one
# name (torch_reference.py) | torch kinds | key-value heads | star motif
rows=("transformer++ AMAMAMAMAMAMAMAMAMAMAMAM 12 31111-11111"
      "hybrid-conv-gqa CMCMAMCMCMAMCMCMAMCMCMAM 4 21111-11111-21111-11111-51111-11111")
for row in "${rows[@]}"; do
  read -r name kinds kvh motif <<< "$row"
  timeout 240 $star bench train --device cuda --genome "$motif" --depth ${#kinds} --width 768 --heads 12 --vocab 50304 \
    --mlp-ratio 2.6666667 --batch 16 --seq 4096 --steps ${STEPS:-10} --warmup 3 --cuda-graphs auto 2>&1 \
    | grep -E "^star bench|^steps|^tokens/s|^step time|^MFU|^peak" | tee -a "$log"
  for mode in $modes; do
    compiled=$([ "$mode" = compile ] && echo True || echo False)
    PYTHONUNBUFFERED=1 timeout 300 python3 -c "
import sys, torch; sys.path.insert(0, '$perf'); import torch_reference as r
torch.backends.cuda.matmul.allow_tf32 = True
r.bench('$name', '$kinds', 16, 4096, $compiled, steps=${STEPS:-10}, kvh=$kvh)" 2>&1 | grep '^{' | tee -a "$log"
  done
done
