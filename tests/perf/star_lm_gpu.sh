#!/usr/bin/env bash
# The real search of inputs/star_lm.toml on one GPU node, in pieces that each end before a
# deadline (a debug queue's allocation): every call continues where the last one stopped.
#   bash tests/perf/star_lm_gpu.sh <kokkos source> <header folder> <text.gz> <perf dir> <out dir> <seconds>
# Each piece, while time is left: builds `star` (build/cuda, kept between calls on a warm node),
# encodes the text into data/lm (train / validation / test), runs the training-parity check once
# (tests/perf/parity_seeds.sh: `star train`, tests/perf/parity_train.py and parity_reference
# --trainer star on the same bytes, 16 seeds each), continues the search
# (`star evolve --resume auto` on STAR_LM_RANKS ranks sharing the GPU, stopped with SIGUSR1 before
# the deadline), then the retraining (`star retrain --resume`, stopped the same way), and writes
# the run directory's results, journal and retraining (no weights) to <out dir>/star_lm.tgz,
# with each step's log. Carry the run directory back in to continue on a fresh node.
# Environment: STAR_LM_CONFIG (inputs/star_lm.toml), STAR_LM_RANKS (4), STAR_LM_RETRAIN (1; 0 skips
# the retraining), STAR_LM_RETRAIN_SEEDS (3: trainings per genome), STAR_LM_PARITY_SEEDS (1 to 16).
set -uo pipefail
cd "$(dirname "$0")/../.."
kokkos_src=$1 headers=$2 text=$3 perf=$4 out=$5 seconds=$6
deadline=$(( $(date +%s) + seconds ))
left() { echo $(( deadline - $(date +%s) )); }
# run_until <seconds> <pattern> <command...>: runs the command; after the seconds, SIGUSR1 to the
# oldest process whose command line matches the pattern (rank 0: it tells every rank to stop),
# and SIGKILL 90 s later if the command is still running. Not through mpirun: the Open MPI 4.1.6
# of the H200 machine did not forward SIGUSR1 to its ranks (Debian's 4.1.4 does).
run_until() {
  local secs=$1 pattern=$2
  shift 2
  "$@" &
  local pid=$!
  ( sleep "$secs"; pkill -USR1 -o -f "$pattern"; sleep 90; kill -9 "$pid" ) 2> /dev/null &
  local watchdog=$!
  wait "$pid"
  local status=$?
  kill "$watchdog" 2> /dev/null
  return $status
}
mkdir -p "$out"
config=${STAR_LM_CONFIG:-inputs/star_lm.toml}
run=runs/$(sed -n 's/^name = "\(.*\)".*/\1/p' "$config" | head -1)
star=build/cuda/src/app/star
mpi=(mpirun --allow-run-as-root -np "${STAR_LM_RANKS:-4}")
tpp=31111-11111-31111-11111-31111-11111-31111-11111
baselines=(--baseline transformer++=$tpp --baseline striped-rec=61111-11111-61111-11111-61111-11111-31111-11111
           --baseline conv-gqa=21111-11111-21111-11111-21111-11111-51111-11111)

if [ ! -x "$star" ]; then
  start=$(date +%s)
  export STAR_KOKKOS_PREFIX=${STAR_KOKKOS_PREFIX:-/tmp/kokkos-cuda} STAR_EXTRA_INCLUDE=$(cd "$headers" && pwd)
  if [ ! -f "$STAR_KOKKOS_PREFIX/lib/cmake/Kokkos/KokkosConfig.cmake" ] && [ ! -f "$STAR_KOKKOS_PREFIX/lib64/cmake/Kokkos/KokkosConfig.cmake" ]; then
    KOKKOS_BUILD_DIR=/tmp/kokkos-build bash jobs/build_kokkos.sh "$kokkos_src" "$STAR_KOKKOS_PREFIX" > "$out/build.log" 2>&1 \
      || { tail -40 "$out/build.log"; exit 1; }
  fi
  STAR_TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') \
    cmake --preset cuda >> "$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
  cmake --build --preset cuda -j "$(nproc)" --target star parity_reference ${STAR_LM_TEST_TARGETS:-} >> "$out/build.log" 2>&1 \
    || { grep -B2 -A12 "error" "$out/build.log" | head -150; exit 1; }
  echo "built in $(( $(date +%s) - start )) s"
fi
for t in ${STAR_LM_TEST_TARGETS:-}; do
  timeout 240 build/cuda/tests/$t --gtest_brief=1 > "$out/$t.log" 2>&1; echo "$t exit $?"; tail -3 "$out/$t.log"
done

if [ ! -f data/lm/test_000000.bin ]; then
  $star data encode-bytes "$text" -o data/lm --val-fraction 0.02 --test-fraction 0.03 --block-bytes 65536 | tee "$out/data.txt"
fi

mkdir -p runs
if [ ! -f runs/parity.done ] && [ "$(left)" -gt 300 ]; then
  # The same Transformer++ and schedule in star and in plain PyTorch, on the same bytes, scored on
  # the same test split, one training per seed and side (tests/perf/parity_seeds.sh); parity is
  # judged on the means over the seeds, not on one pair.
  bash tests/perf/parity_seeds.sh "$perf" "$out" 4 star torch trainer -- ${STAR_LM_PARITY_SEEDS:-$(seq 1 16)}
  touch runs/parity.done
fi

status=75
if [ "$(left)" -gt 60 ]; then
  ( time run_until $(( $(left) - 75 )) "^$star evolve" "${mpi[@]}" $star evolve "$config" --resume auto ) > "$out/evolve.log" 2>&1
  status=$(grep -q "search complete" "$out/evolve.log" && echo 0 || echo 75)
  grep -E "^generation|search complete|stopped by|resuming|hypervolume|^real" "$out/evolve.log" | tail -30
fi
if [ "$status" = 0 ] && [ "${STAR_LM_RETRAIN:-1}" = 1 ] && [ "$(left)" -gt 60 ]; then
  ( time run_until $(( $(left) - 60 )) "^$star retrain" mpirun --allow-run-as-root -np 1 $star retrain "$run/results.h5" \
      --heldout "data/lm/test_*.bin" --heldout-windows 1024 "${baselines[@]}" --seeds "${STAR_LM_RETRAIN_SEEDS:-3}" --resume ) > "$out/retrain.log" 2>&1
  grep -vE "^  \[" "$out/retrain.log" | tail -30
fi
tar czf "$out/star_lm.tgz" --exclude='step_*' "$run"
echo "piece ended with $(left) s left"
