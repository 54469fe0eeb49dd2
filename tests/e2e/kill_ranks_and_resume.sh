#!/usr/bin/env bash
# SIGKILL (no chance to clean up) of one rank at several moments of a generation: before the
# first checkpoint (only the journal holds anything), mid generation on rank 0, mid generation on
# another rank, right after a checkpoint. Each time `--resume auto` continues; the final results
# equal a run never interrupted, genome for genome and score for score.
source "$(dirname "$0")/common.sh"

make_config() {
  tiny_config "$1"
  sed -i 's/^generations = 3/generations = 4/; s/^token_budget = 5120 .*/token_budget = 51200/' "$1.toml"
}
make_config straight
"$MPIEXEC" -np 3 "$STAR" evolve straight.toml > straight.log 2>&1 || { cat straight.log; fail "uninterrupted run"; }

make_config killed
generations_done() { h5ls runs/killed/results.h5/generations 2>/dev/null | wc -l; }
# Progress of the run, from what is on disk (not the logs, which mpirun forwards in bursts):
# 6 per checkpointed generation plus the journal records of the generation in flight.
progress() {
  local g
  g=$(generations_done)
  echo $((g * 6 + $(journal_records runs/killed "$g")))
}
progressed_to() { test "$(progress)" -ge "$1"; }
has_record() { test "$(journal_records runs/killed "$1")" -ge 1; }
checkpointed() { test "$(generations_done)" -ge "$1"; }
# kill_when <rank> <description> <condition> <args>: start (or resume) with --resume auto, wait
# until the condition holds, SIGKILL the rank.
attempt=0
kill_when() {
  local rank=$1 what=$2
  shift 2
  attempt=$((attempt + 1))
  local log="attempt-$attempt.log"
  setsid "$MPIEXEC" -np 3 "$STAR" evolve killed.toml --resume auto > "$log" 2>&1 &
  local launcher=$!
  if ! wait_for 120 "$@"; then
    kill -KILL -- "-$launcher" 2>/dev/null || true
    cat "$log"
    fail "condition for killing rank $rank ($what) never came"
  fi
  local pid
  pid=$(rank_pid "$launcher" "$rank") || fail "rank $rank not found"
  kill -KILL "$pid"
  wait "$launcher" 2>/dev/null && fail "mpirun exited 0 after rank $rank was killed" || true
  kill -KILL -- "-$launcher" 2>/dev/null || true
  echo "attempt $attempt: killed rank $rank $what: $(generations_done) generation(s) checkpointed, journal files: $(ls runs/killed/journal | tr '\n' ' ')"
}

kill_when 1 "after its first training, before any checkpoint" has_record 0
[ ! -f runs/killed/results.h5 ] || fail "generation 1 was checkpointed before the kill"
kill_when 0 "after 5 more trainings" progressed_to $(($(progress) + 5))
grep -q "resuming generation 1 from its journal" attempt-2.log || fail "attempt 2 did not resume from the journal alone"
grep -q "finished evaluations replayed" attempt-2.log || fail "attempt 2 replayed nothing"
kill_when 2 "after 4 more trainings" progressed_to $(($(progress) + 4))
kill_when 0 "right after a checkpoint" checkpointed $(($(generations_done) + 1))

resume_to_the_end 3 killed 4
echo "PASS"
