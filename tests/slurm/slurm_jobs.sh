#!/usr/bin/env bash
# jobs/evolve.slurm on a real (one-node, local) Slurm:
#   1. a job that runs the whole search: its results are complete;
#   2. the same search with a 1-minute wall time: the job is warned, checkpoints, requeues itself,
#      and the requeued job finishes the search with the results of job 1;
#   3. a job cancelled with scancel mid-generation, then resubmitted: it resumes, same results;
#   4. jobs/train.slurm trains one genome on 2 ranks and saves a model star eval can score.
# Needs root (it starts slurmctld, slurmd and munged, and stops them at the end).
#   bash tests/slurm/slurm_jobs.sh <star> <mpiexec> <scratch dir>
source "$(dirname "$0")/../e2e/common.sh"

if [ "$(id -u)" != 0 ] || ! command -v apt-get > /dev/null; then
  echo "SKIP: a local Slurm needs root and apt-get"
  exit 77
fi
bash "$SRC/tests/slurm/local_slurm.sh" start
trap 'bash "$SRC/tests/slurm/local_slurm.sh" stop' EXIT

# About a minute of training on 2 ranks: longer than one 1-minute job's warning allows.
search_config() {
  tiny_config "$1"
  sed -i -e 's/^token_budget = .*/token_budget = 81920/' -e 's/^generations = .*/generations = 16/' "$1.toml"
}

# submit <name> <sbatch options...>: submits jobs/evolve.slurm for <name>.toml, prints the job id.
submit() {
  local name=$1
  shift
  (cd "$SRC" && sbatch --parsable --export=ALL,STAR_BIN="$STAR" --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 \
     --gpus-per-node=0 --output="$WORK/$name-%j.out" "$@" jobs/evolve.slurm "$WORK/$name.toml" "$WORK/runs/$name")
}

job_state() { scontrol show job "$1" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }

# wait_job <id> <seconds>: waits until the job has ended for good (not pending, running or requeued).
wait_job() {
  local state
  for _ in $(seq 1 "$2"); do
    state=$(job_state "$1")
    case "$state" in
      COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE) echo "$state"; return ;;
    esac
    sleep 1
  done
  echo "STILL-$state"
}

generations_done() { h5ls "$1/results.h5/generations" 2>/dev/null | wc -l; }

echo "--- 1. the whole search in one job"
search_config whole
job=$(submit whole --time=10)
state=$(wait_job "$job" 600)
cat "$WORK"/whole-*.out
[ "$state" = COMPLETED ] || fail "job $job ended $state"
[ "$(generations_done runs/whole)" = 16 ] || fail "job $job left $(generations_done runs/whole) of 16 generations"
ls runs/whole/logs/job"$job"-rank0.log runs/whole/logs/job"$job"-rank1.log > /dev/null || fail "no per-rank logs"
grep -q "search complete: 16 generations" runs/whole/logs/job"$job"-rank0.log || fail "rank 0 log lacks the summary"
results_digest runs/whole/results.h5 > whole.digest

echo "--- 2. a wall time too short: warned, checkpointed, requeued, finished"
search_config walltime
job=$(submit walltime --time=1 --signal=B:USR1@20)
state=$(wait_job "$job" 900)
cat "$WORK"/walltime-*.out
[ "$state" = COMPLETED ] || fail "job $job ended $state"
grep -q "wall time near" walltime-*.out || fail "the job was never warned"
grep -q "requeueing job $job" walltime-*.out || fail "the job did not requeue itself"
restarts=$(scontrol show job "$job" -o | grep -o 'Restarts=[0-9]*' | cut -d= -f2)
echo "job $job finished after $restarts requeue(s)"
[ "${restarts:-0}" -ge 1 ] || fail "no requeue recorded"
results_digest runs/walltime/results.h5 > walltime.digest
cmp whole.digest walltime.digest || { diff whole.digest walltime.digest | head -40; fail "requeued search differs from job 1"; }

echo "--- 3. scancel mid-generation, resubmit: it resumes"
search_config cancelled
job=$(submit cancelled --time=10)
for _ in $(seq 1 600); do
  [ "$(generations_done runs/cancelled)" -ge 2 ] && break
  sleep 0.2
done
[ "$(generations_done runs/cancelled)" -ge 2 ] || { cat "$WORK"/cancelled-*.out; fail "no checkpoint appeared"; }
scancel "$job"
state=$(wait_job "$job" 120)
[ "$state" = CANCELLED ] || fail "cancelled job ended $state"
done_before=$(generations_done runs/cancelled)
echo "cancelled after $done_before complete generations"
[ "$done_before" -lt 16 ] || fail "the search finished before it was cancelled"
job=$(submit cancelled --time=10)
state=$(wait_job "$job" 600)
cat "$WORK"/cancelled-"$job".out
[ "$state" = COMPLETED ] || fail "resubmitted job $job ended $state"
grep -q "resuming" cancelled-"$job".out || fail "the resubmitted job did not resume"
results_digest runs/cancelled/results.h5 > cancelled.digest
cmp whole.digest cancelled.digest || { diff whole.digest cancelled.digest | head -40; fail "resumed search differs from job 1"; }
echo "--- 4. jobs/train.slurm trains one genome and saves it"
tiny_config one
job=$(cd "$SRC" && sbatch --parsable --export=ALL,STAR_BIN="$STAR" --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 \
        --gpus-per-node=0 --time=5 --output="$WORK/train-%j.out" jobs/train.slurm "$WORK/one.toml" 31111-11111-21111 \
        "$WORK/trained" --save-every 5)
state=$(wait_job "$job" 300)
cat "$WORK"/train-*.out
[ "$state" = COMPLETED ] || fail "train job $job ended $state"
grep -q "^status = 'ok'" trained/state.toml || fail "the trained model's state is not ok"
"$STAR" eval one.toml --checkpoint trained || fail "star eval of the job's model"
echo "PASS"
