#!/usr/bin/env bash
# Training parity over many seeds, on a GPU node with the CUDA build and data/lm encoded (see
# star_lm_gpu.sh): the Transformer++ of shared/perf/torch_reference.py trained on 16.8M tokens of
# the same shards and scored on the same 1024 test windows, one training per seed and side, JOBS
# trainings at a time on the GPU (their losses do not depend on it; their speed does, so read no
# speed from here). One training's held-out loss depends on its initial weights far more than on
# the trainer (bimodal on the H200: about 1.06 to 1.10 or 1.15 to 1.25), so parity is judged on
# the means over many seeds.
#   bash tests/perf/parity_seeds.sh <perf dir> <out dir> <jobs> <side...> -- <seed...>
# Sides: star (`star train` of inputs/star_lm.toml with [run] seed and [task] seed 1000 + seed),
# torch (tests/perf/parity_train.py, plain PyTorch), trainer (parity_reference --trainer star:
# star's trainer, PyTorch's model and seeds). Appends a line per training to <out>/parity_seeds.txt
# and prints each side's mean, standard deviation, standard error and range.
set -uo pipefail
cd "$(dirname "$0")/../.."
perf=$1 out=$2 jobs=$3
shift 3
sides=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do sides+=("$1"); shift; done
shift
[ ${#sides[@]} -gt 0 ] && [ $# -gt 0 ] || { echo "usage: parity_seeds.sh <perf dir> <out dir> <jobs> <side...> -- <seed...>" >&2; exit 2; }
mkdir -p "$out"
export PARITY_PERF=$perf STAR=build/cuda/src/app/star TPP=31111-11111-31111-11111-31111-11111-31111-11111 TOKENS=16777216
one() {
  local side=$1 seed=$2 r=""
  case $side in
    star)
      sed -e 's#^val_shards = .*#val_shards = "data/lm/test_*.bin"#' -e 's/^test_examples = .*/test_examples = 1024/' \
        -e "s/^train_examples = .*/train_examples = $(( TOKENS / 1024 ))/" -e "s/^seed = .*/seed = $seed/" \
        -e "s/^\[task\]$/[task]\nseed = $(( 1000 + seed ))/" inputs/star_lm.toml > "/tmp/parity-$seed.toml"
      rm -rf "/tmp/parity-star-$seed"
      r=$(timeout 300 $STAR train "/tmp/parity-$seed.toml" --genome $TPP --tokens $TOKENS --out "/tmp/parity-star-$seed" 2>&1 \
          | sed -n 's/.*held-out loss \([0-9.]*\).*/\1/p' | tail -1) ;;
    torch)
      r=$(PYTHONUNBUFFERED=1 timeout 300 python3 tests/perf/parity_train.py --reference-dir "$PARITY_PERF" --shards data/lm \
          --heldout "data/lm/test_*.bin" --heldout-windows 1024 --tokens $TOKENS --seed "$seed" 2>&1 \
          | sed -n 's/.*"heldout_loss": \([0-9.]*\).*/\1/p' | tail -1) ;;
    trainer)
      r=$(timeout 300 build/cuda/tests/parity_reference --shards data/lm --heldout "data/lm/test_*.bin" --heldout-windows 1024 \
          --tokens $TOKENS --seed "$seed" --task-seed $(( 1000 + seed )) --trainer star --kernels kokkos 2>&1 \
          | sed -n 's/.*"heldout_loss": \([0-9.]*\).*/\1/p' | tail -1) ;;
  esac
  echo "$side seed $seed held-out ${r:-failed}"
}
export -f one
for side in "${sides[@]}"; do
  printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c "one $side {}" | tee -a "$out/parity_seeds.txt"
done
awk '$4 == "held-out" && $5 != "failed" { n[$1]++; s[$1] += $5; q[$1] += $5 * $5
       if (!($1 in lo) || $5 < lo[$1]) lo[$1] = $5; if (!($1 in hi) || $5 > hi[$1]) hi[$1] = $5 }
     END { for (k in n) { m = s[k] / n[k]; v = n[k] > 1 ? (q[k] - n[k] * m * m) / (n[k] - 1) : 0; if (v < 0) v = 0
             printf "parity %-8s %2d seeds: mean %.4f  sd %.4f  se %.4f  range %.4f..%.4f\n", k, n[k], m, sqrt(v), sqrt(v / n[k]), lo[k], hi[k] } }' \
  "$out/parity_seeds.txt" | sort | tee -a "$out/parity_seeds.txt"
