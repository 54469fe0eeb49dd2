#!/usr/bin/env bash
# On a GPU node: builds Kokkos (CUDA) from a source tree, the CUDA preset, runs the GPU-relevant
# tests and the benchmarks, and writes logs to an output folder. What the team runs on the
# device machine; usable as is on any node with the GPU build's dependencies (README "GPU build").
#   bash tests/perf/gpu_check.sh <kokkos source> <header folder: toml++, CLI11> <out dir> [steps...]
# steps (default all): build tests nccl kernels train reference startrain inference quickstart;
# export (never by default): the built star, stripped, in parts of at most 15 MB under the out dir
# (star.part.00, ...: a device call returns files of up to 16 MiB). Joined again on the next
# machine of the same image (`cat star.part.* > .deps/starbin/star`, an ignored path a call
# carries), it runs there without a build: `STAR=.deps/starbin/star bash tests/perf/rows_124m.sh
# ...` then costs a call ~130 s instead of a build's ~6 min (it links LibTorch, CUDA, MPI and HDF5
# from the image; Kokkos is in it).
# nccl: the NCCL gradient reducer's tests under mpirun with 1 rank and with 2 (which skip on a
# node with one GPU).
# startrain: `star train` of the Transformer++ preset (STAR_TRAIN_CONFIG, default
# inputs/transformerpp.toml) on byte shards of the Python sources beside torch, STAR_TRAIN_TOKENS
# tokens (default 300 steps); inference: `star bench inference` of Transformer++, a striped
# conv/attention hybrid and a recurrence-heavy genome at 124M (prefill at 4k, decode at 4k and
# 32k), then `star generate` from a quick-start model trained on the GPU; quickstart: the
# README's quick start on one GPU.
# Environment: STEPS (timed training steps), MICRO (micro-batch), PROFILE (steps whose kernels
# `bench train` lists after the timed ones), REF_MODES (reference modes: eager compile), STAR
# (the star the steps run; default the CUDA preset's build), BUILD_TARGETS (what `build` builds;
# default star and the four GPU test programs. On the device machine's 16 cores `star` alone took
# 6 min 18 s with Kokkos, star and test_train 7 min: with BUILD_TARGETS=star a 10-minute call has
# room for tests/perf/rows_124m.sh after it).
set -uo pipefail
cd "$(dirname "$0")/../.."
kokkos_src=$1 headers=$2 out=$3
shift 3
steps=${*:-build tests nccl kernels train reference startrain inference quickstart}
has() { [[ " $steps " == *" $1 "* ]]; }
mkdir -p "$out"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$out/gpu.txt" 2>&1
export STAR_KOKKOS_PREFIX=${STAR_KOKKOS_PREFIX:-/tmp/kokkos-cuda} STAR_EXTRA_INCLUDE=$(cd "$headers" && pwd)
star=${STAR:-build/cuda/src/app/star}
if has build; then
  start=$(date +%s)
  if [ ! -f "$STAR_KOKKOS_PREFIX/lib/cmake/Kokkos/KokkosConfig.cmake" ] && [ ! -f "$STAR_KOKKOS_PREFIX/lib64/cmake/Kokkos/KokkosConfig.cmake" ]; then
    KOKKOS_BUILD_DIR=/tmp/kokkos-build bash jobs/build_kokkos.sh "$kokkos_src" "$STAR_KOKKOS_PREFIX" > "$out/build.log" 2>&1 \
      || { tail -40 "$out/build.log"; exit 1; }
  fi
  echo "kokkos ready after $(( $(date +%s) - start )) s"
  STAR_TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') \
    cmake --preset cuda >> "$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
  cmake --build --preset cuda -j "$(nproc)" --target ${BUILD_TARGETS:-star test_kernels test_model test_train test_nccl_reducer} >> "$out/build.log" 2>&1 \
    || { grep -B2 -A12 "error" "$out/build.log" | head -150; exit 1; }
  echo "built after $(( $(date +%s) - start )) s"
fi
if has export; then
  strip -o /tmp/star.stripped "$star" && split -b 15m -d /tmp/star.stripped "$out/star.part." \
    && ls -l "$out"/star.part.* || { echo "export: could not strip and split $star"; exit 1; }
fi
export STAR_SOURCE_DIR=$PWD
if has tests; then
  for t in test_kernels test_model test_train; do
    timeout 300 build/cuda/tests/$t --gtest_brief=1 > "$out/$t.log" 2>&1; echo "$t exit $?"; tail -4 "$out/$t.log"
  done
fi
if has nccl; then
  # NCCL takes its settings (NCCL_NVLS_ENABLE=0 where NVLink multicast must stay off) from the
  # environment, which the ranks inherit from mpirun on this node.
  for np in 1 2; do
    timeout 300 mpirun --allow-run-as-root -np $np build/cuda/tests/test_nccl_reducer \
      > "$out/test_nccl_reducer_np$np.log" 2>&1
    echo "test_nccl_reducer -np $np exit $?"; tail -4 "$out/test_nccl_reducer_np$np.log"
  done
fi
if has kernels; then
  for dtype in fp32 bf16; do
    $star bench kernels --device cuda --dtype $dtype --batch 8 --channels 768 --lengths 1024,4096,16384 --repeats 20 2>&1 \
      | tee -a "$out/bench_kernels.txt"
  done
fi
if has train; then
  # Transformer++, a striped hybrid, Rec-1, Hyena, a 2-path block (attention beside Rec-1, mixed
  # by learned scalars) and a routed Transformer++ block (LTC routing).
  for g in "31111-11111" "21111-11111-21111-11111-51111-11111" "61111-11111" "81111-11111" \
           "31111-611112-11111" "311114-11111"; do
    timeout 240 $star bench train --device cuda --genome "$g" --depth 24 --width 768 --heads 12 --vocab 50304 \
      --mlp-ratio 2.6666667 --batch 16 --micro-batch ${MICRO:-16} --seq 4096 --steps ${STEPS:-10} --warmup 3 --profile ${PROFILE:-0} 2>&1 | tee -a "$out/bench_train.txt"
  done
fi
if has reference; then
  for m in transformerpp lfm2; do
    for mode in ${REF_MODES:-eager compile}; do
      PYTHONUNBUFFERED=1 timeout 300 python3 tests/perf/torch_reference_train.py --model $m --mode $mode \
        --steps ${STEPS:-10} 2>&1 | grep -v Warning | tee -a "$out/reference_train.txt"
    done
  done
fi
if has startrain; then
  corpus=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
  find "$corpus" -name '*.py' | sort | head -3000 > /tmp/corpus.txt
  rm -rf data/bytes && $star data encode-bytes $(cat /tmp/corpus.txt) -o data/bytes 2>&1 | tail -2 | tee "$out/star_train.txt"
  genome=$(printf '31111-11111-%.0s' $(seq 12)); genome=${genome%-}
  ( time timeout 400 $star train "${STAR_TRAIN_CONFIG:-inputs/transformerpp.toml}" --genome "$genome" \
      --tokens "${STAR_TRAIN_TOKENS:-19660800}" --out /tmp/tpp ) 2>&1 | tail -25 | tee -a "$out/star_train.txt"
fi
if has inference; then
  timeout 300 $star bench inference --device cuda --genome "Transformer++=31111-11111" \
    --genome "conv+attention=21111-11111-31111-11111" \
    --genome "recurrence-heavy=61111-11111-61111-11111-61111-11111-31111-11111" --depth 24 --width 768 --heads 12 \
    --vocab 50304 --prompt 4096 --contexts 4096,32768 --repeats 10 --warmup 3 2>&1 | tee "$out/bench_inference.txt"
  rm -rf /tmp/generate_model
  timeout 120 $star train inputs/quickstart.toml --genome 31111-11111-21111-11111 --out /tmp/generate_model \
    --tokens 200000 > "$out/generate.txt" 2>&1
  timeout 60 $star generate inputs/quickstart.toml --checkpoint /tmp/generate_model --prompt-tokens 1,2,3,4,5,6,7,8 \
    --tokens 200 --temperature 0 2>&1 | tee -a "$out/generate.txt"
fi
if has quickstart; then
  rm -rf runs/quickstart
  ( time timeout 400 mpirun --allow-run-as-root -np 1 $star evolve inputs/quickstart.toml ) 2>&1 | tail -25 | tee "$out/quickstart.txt"
fi
