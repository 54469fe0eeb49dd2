#!/usr/bin/env bash
# SIGTERM or SIGUSR1 before the wall time: every rank stops after its current training step and
# exits with 75 ("resubmit me"), well within 60 s; what finished is in the journal, and the run
# resumed with `--resume auto` does not train it again. A truncated newest checkpoint: resume
# says so and uses the previous one. The final results equal those of a run never interrupted.
source "$(dirname "$0")/common.sh"

settings=$'[train]\ntoken_budget = 20480\nbatch_size = 16\nlearning_rate = 3e-3'
make_config() {  # longer trainings (80 steps) so a signal lands mid-genome
  tiny_config "$1"
  sed -i 's/^generations = 3/generations = 4/; /^\[train\]/,/^learning_rate/d' "$1.toml"
  printf '%s\n' "$settings" >> "$1.toml"
}

make_config straight
"$MPIEXEC" -np 3 "$STAR" evolve straight.toml --resume auto > straight.log 2>&1 || { cat straight.log; fail "uninterrupted run"; }
grep -q -- "--resume auto: runs/straight has no checkpoint and no journal, starting a new run" straight.log || { cat straight.log; fail "--resume auto on an empty directory did not start a new run"; }

# stop_mid_generation <log> <signal> <target: rank number or "mpirun"> <generation>: waits for a
# journal record of that generation, sends the signal and expects exit status 75 within 60 s.
stop_mid_generation() {
  local log=$1 signal=$2 target=$3 generation=$4 resume=${5:-}
  setsid "$MPIEXEC" -np 3 "$STAR" evolve stopped.toml $resume > "$log" 2>&1 &
  local launcher=$!
  wait_for 120 has_record "$generation" || { cat "$log"; fail "no journal record of generation $generation"; }
  local pid=$launcher
  [ "$target" = mpirun ] || pid=$(rank_pid "$launcher" "$target") || fail "rank $target not found"
  local start=$SECONDS
  kill -"$signal" "$pid"
  set +e
  wait "$launcher"
  local status=$?
  set -e
  local took=$((SECONDS - start))
  cat "$log"
  [ "$status" -eq 75 ] || fail "SIGTERM: mpirun exited with $status, not 75"
  [ "$took" -le 60 ] || fail "stopping took $took s"
  grep -q "exit status 75 means resubmit" "$log" || fail "no line saying to resubmit"
  echo "stopped with $signal to $target in generation $((generation + 1)) after $took s"
}
# The genomes the journal holds now (finished, never to be trained again).
journaled() { cat runs/stopped/journal/*.log 2>/dev/null | awk -F'\t' '{print $3}' | sort -u; }

make_config stopped
has_record() { test "$(journal_records runs/stopped "$1")" -ge 1; }
# 1. SIGTERM to rank 0 alone, mid generation 1: ranks 1 and 2 stop because rank 0 tells them.
stop_mid_generation stop1.log TERM 0 0
journaled > journaled.txt
[ -s journaled.txt ] || fail "the journal is empty after a stop"
"$MPIEXEC" -np 3 "$STAR" evolve stopped.toml --resume auto > resume1.log 2>&1 &
resumer=$!
# 2. While that resumed run works on generation 3, SIGTERM reaches only rank 2: rank 0 hears of it.
wait_for 120 has_record 2 || { cat resume1.log; fail "no record of generation 3"; }
kill -TERM "$(rank_pid "$resumer" 2)"
set +e; wait "$resumer"; status=$?; set -e
cat resume1.log
[ "$status" -eq 75 ] || fail "SIGTERM to rank 2: exit status $status, not 75"
grep -q "finished evaluations replayed from runs/stopped/journal" resume1.log || fail "resume replayed nothing from the journal"
trained_genomes resume1.log > retrained.txt
if comm -12 journaled.txt retrained.txt | grep -q .; then fail "journaled genomes trained again: $(comm -12 journaled.txt retrained.txt)"; fi
journaled > journaled.txt

# 3. A truncated newest checkpoint: the previous one is used, and said so; the damaged file is set aside.
[ -f runs/stopped/results.prev.h5 ] || fail "no previous checkpoint to fall back to"
truncate -s 2000 runs/stopped/results.h5
# 4. SIGUSR1 to mpirun (Slurm's `--signal=B:USR1@...` path): mpirun forwards it to every rank.
stop_mid_generation stop3.log USR1 mpirun 3 --resume
grep -q "using the previous checkpoint" stop3.log || fail "damaged checkpoint not reported"
compgen -G "runs/stopped/results.h5.damaged-*" > /dev/null || fail "damaged checkpoint not set aside"
trained_genomes stop3.log > retrained.txt
if comm -12 journaled.txt retrained.txt | grep -q .; then fail "journaled genomes trained again after USR1"; fi

resume_to_the_end 2 stopped 4
echo "PASS"
