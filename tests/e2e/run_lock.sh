#!/usr/bin/env bash
# One run directory, one run at a time: two `star evolve` started together on one directory (new
# runs with different seeds, then two --resume) end with exactly one run, the other refused at
# once with exit status 2 naming the lock's holder, and results that are all the winner's. A lock
# whose holder is gone blocks nothing; `star train` locks its checkpoint directory the same way.
source "$(dirname "$0")/common.sh"

# race <label> <config A> <config B> [star evolve options]: starts both at once and waits; prints
# the config of the run that finished, after checking that the other was refused.
race() {
  local label=$1 a=$2 b=$3
  shift 3
  "$MPIEXEC" -np 1 "$STAR" evolve "$a" "$@" > "$label-a.log" 2>&1 &
  local pid_a=$!
  "$MPIEXEC" -np 1 "$STAR" evolve "$b" "$@" > "$label-b.log" 2>&1 &
  local pid_b=$!
  local status_a=0 status_b=0
  wait $pid_a || status_a=$?
  wait $pid_b || status_b=$?
  echo "$label: statuses $status_a and $status_b" >&2
  local winner loser
  if [ $status_a -eq 0 ] && [ $status_b -eq 2 ]; then winner=a loser=b
  elif [ $status_b -eq 0 ] && [ $status_a -eq 2 ]; then winner=b loser=a
  else cat "$label-a.log" "$label-b.log" >&2; fail "$label: expected one run to finish and one to exit 2"; fi
  grep -q "is in use by another run (host .* pid [0-9]*, which holds runs/both/.lock)" "$label-$loser.log" ||
    { cat "$label-$loser.log" >&2; fail "$label: the refused run does not name the lock's holder"; }
  [ "$(grep -c '^star evolve:' "$label-$loser.log")" -eq 1 ] || { cat "$label-$loser.log" >&2; fail "$label: not one line"; }
  ! grep -q "^star evolve .*ranks in" "$label-$loser.log" || fail "$label: the refused run started"
  grep -q "search complete" "$label-$winner.log" || { cat "$label-$winner.log" >&2; fail "$label: no complete search"; }
  if [ $winner = a ]; then echo "$a"; else echo "$b"; fi
}

# The configuration stored in a results file.
stored_config() { h5dump -d /config -y -w 0 "$1" | sed -n '/DATA {/,/}/p'; }

# 1. Two new searches on one directory, different seeds.
tiny_config both
sed 's/^seed = 11/seed = 12/' both.toml > both-seed12.toml
winner=$(race new both.toml both-seed12.toml)
stored_config runs/both/results.h5 > stored.txt
grep -q "seed = $(grep -m1 '^seed' "$winner" | awk '{print $3}')" stored.txt || { cat stored.txt; fail "results are not the winner's"; }
cmp -s <(grep -v '^#' runs/both/config.toml) <(grep -v '^#' "$winner") || fail "config.toml is not the winner's"
for f in runs/both/results.h5 runs/both/results.prev.h5; do
  stored_config "$f" | grep -q "seed = $(grep -m1 '^seed' "$winner" | awk '{print $3}')" || fail "$f holds another run"
done

# 2. Two --resume at once (three more generations): one continues, the other is refused, and the
# generations already there are unchanged (never blanked).
results_digest runs/both/results.h5 > before.digest
sed -i 's/^generations = 3/generations = 6/' "$winner"
race resume "$winner" "$winner" --resume > /dev/null
results_digest runs/both/results.h5 > after.digest
[ "$(head -c "$(stat -c %s before.digest)" after.digest)" = "$(cat before.digest)" ] ||
  { diff before.digest after.digest | head -20; fail "the resumed run changed generations it had"; }
grep -q "search complete: 6 generations" resume-a.log resume-b.log || fail "resume did not finish"

# 3. A lock held by a live process refuses at once; once that process is gone, nothing blocks.
sed -i 's/^generations = 6/generations = 7/' "$winner"
flock runs/both/.lock sleep 60 &
holder=$!
held() { ! flock -n "$1" true; }
# flock(1) and the sleep it runs (which holds the lock too): killed, so the lock has no holder.
kill_holder() {
  kill -KILL $(pgrep -P "$1") "$1" 2> /dev/null || true
  wait "$1" 2> /dev/null || true
}
wait_for 10 held runs/both/.lock || fail "flock(1) did not take the lock"
start=$SECONDS
set +e
"$MPIEXEC" -np 1 "$STAR" evolve "$winner" --resume > held.log 2>&1
status=$?
set -e
[ $status -eq 2 ] || { cat held.log; fail "a held lock did not refuse the run (status $status)"; }
grep -q "is in use by another run" held.log || { cat held.log; fail "no lock message"; }
[ $((SECONDS - start)) -lt 30 ] || fail "refusal was not at once"
kill_holder $holder
"$MPIEXEC" -np 1 "$STAR" evolve "$winner" --resume > freed.log 2>&1 || { cat freed.log; fail "resume after the holder died"; }
grep -q "search complete: 7 generations" freed.log || { cat freed.log; fail "resume after the holder died did not finish"; }

# 4. star train: a checkpoint directory in use is refused.
mkdir -p trained
flock trained/.lock sleep 60 &
holder=$!
wait_for 10 held trained/.lock || fail "flock(1) did not take the lock"
set +e
"$STAR" train "$winner" --genome "$("$STAR" genome sample -n 1 --config "$winner" --seed 1)" --out trained > train-held.log 2>&1
status=$?
set -e
kill_holder $holder
[ $status -eq 2 ] || { cat train-held.log; fail "star train on a locked directory: status $status"; }
grep -q "trained is in use by another run" train-held.log || { cat train-held.log; fail "star train: no lock message"; }
[ ! -e trained/state.toml ] || fail "the refused star train wrote state.toml"
echo "PASS"
