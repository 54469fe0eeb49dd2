#!/usr/bin/env bash
# [evolution] mode = "steady_state" under real MPI: 4 ranks in 4 groups train genomes of very
# different costs (all-SwiGLU to all-attention at length 256). The steady-state run leaves the
# groups less idle than the generational run of the same search, a SIGKILL of rank 0 in the middle,
# a SIGUSR1 later and `--resume auto` after each lose no finished evaluation (none is trained
# twice, none is missing), and
# `star replay` rebuilds each run from its event log alone, identical to its checkpoint.
source "$(dirname "$0")/common.sh"

# uneven_config <name> <mode>
uneven_config() {
  cat > "$1.toml" <<TOML
[run]
name = "$1"
seed = 11
threads_per_rank = 1
[genome]
depth = 4
classes = [1, 3]             # SwiGLU (cheap) and attention (quadratic in the length)
max_group = 2
[model]
width = 32
heads = 2
[task]
vocab_size = 16
seq_len = 256
train_examples = 256
test_examples = 16
[train]
token_budget = 32768         # 8 steps of 16 x 256
batch_size = 16
learning_rate = 3e-3
[evolution]
mode = "$2"
population = 4
generations = 6
objectives = ["quality", "params"]
initial_genomes = ["11111-11111-11111-11111", "31111-31111-31111-31111"]
TOML
}
idle_percent() { sed -n 's/^groups busy .* idle \([0-9.]*\)%$/\1/p' "$1"; }

uneven_config generational generational
uneven_config steady steady_state
"$MPIEXEC" -np 4 "$STAR" evolve generational.toml > generational.log 2>&1 || { cat generational.log; fail "generational run"; }
"$MPIEXEC" -np 4 "$STAR" evolve steady.toml > steady.log 2>&1 || { cat steady.log; fail "steady-state run"; }
grep -q "search complete: 24 evaluations, steady-state" steady.log || { cat steady.log; fail "steady-state run did not finish"; }
[ "$(h5ls runs/steady/results.h5/generations | wc -l)" = 6 ] || fail "steady-state results hold no 6 records"
gen_idle=$(idle_percent generational.log)
steady_idle=$(idle_percent steady.log)
echo "idle: generational $gen_idle%, steady-state $steady_idle%"
awk -v s="$steady_idle" -v g="$gen_idle" 'BEGIN { exit !(s < g) }' || fail "steady-state idle $steady_idle% is not below generational $gen_idle%"
"$STAR" replay runs/steady > replay.log 2>&1 || { cat replay.log; fail "replay of the steady-state run"; }
grep -q "identical to the checkpoint.s 6 records and 48 events" replay.log || { cat replay.log; fail "replay not identical"; }

# SIGKILL rank 0 once 6 results are in the event log, then resume (and stop, and resume) to the end.
uneven_config killed steady_state
results_logged() { grep -c $'^star-event-1\tresult\t' runs/killed/journal/events.log 2>/dev/null || true; }
six_results() { test "$(results_logged)" -ge 6; }
setsid "$MPIEXEC" -np 4 "$STAR" evolve killed.toml > killed-1.log 2>&1 &
launcher=$!
wait_for 300 six_results || { kill -KILL -- "-$launcher" 2>/dev/null; cat killed-1.log; fail "6 results never came"; }
kill -KILL "$(rank_pid "$launcher" 0)"
wait "$launcher" 2>/dev/null && fail "mpirun exited 0 after rank 0 was killed" || true
kill -KILL -- "-$launcher" 2>/dev/null || true
before=$(cat runs/killed/journal/g*-group-*.log | grep -c $'\t[0-9a-f]\\{16\\}$' || true)
echo "killed rank 0 with $(results_logged) results logged and $before in the group journals"
# Resume; a SIGUSR1 to rank 0 once 12 results are in stops it cleanly (exit 75); resume again to the end.
twelve_results() { test "$(results_logged)" -ge 12; }
setsid "$MPIEXEC" -np 4 "$STAR" evolve killed.toml --resume auto > killed-2.log 2>&1 &
launcher=$!
wait_for 300 twelve_results || { kill -KILL -- "-$launcher" 2>/dev/null; cat killed-2.log; fail "12 results never came"; }
kill -USR1 "$(rank_pid "$launcher" 0)"
set +e
wait "$launcher"
status=$?
set -e
[ $status = 75 ] || { cat killed-2.log; fail "a stopped steady-state run exited $status, not 75"; }
grep -q "^resuming runs/killed/journal/events.log" killed-2.log || fail "the resume did not replay the event log"
grep -q "^stopped by a signal" killed-2.log || fail "no stop message"
"$MPIEXEC" -np 4 "$STAR" evolve killed.toml --resume auto > killed-3.log 2>&1 || { cat killed-3.log; fail "resume"; }
cat killed-2.log killed-3.log | grep -vE '^\[group' || true
grep -q "search complete: 24 evaluations" killed-3.log || fail "the resumed run did not finish"
[ "$(results_logged)" = 24 ] || fail "$(results_logged) results in the event log, not 24"
# Every evaluation was trained to a result exactly once: what the groups had journaled before the
# kill was taken from their journals, not trained again.
journaled=$(cat runs/killed/journal/g*-group-*.log | grep -c $'\t[0-9a-f]\\{16\\}$')
[ "$journaled" = 24 ] || fail "$journaled results in the group journals, not 24: an evaluation was lost or trained twice"
"$STAR" replay runs/killed > replay-killed.log 2>&1 || { cat replay-killed.log; fail "replay of the resumed run"; }
grep -q "identical to the checkpoint.s 6 records and 48 events" replay-killed.log || { cat replay-killed.log; fail "replay not identical"; }

# Bad input: a steady-state run of the GA, and replay of a generational run, are refused with exit 2.
uneven_config ga steady_state
sed -i 's/^mode = .*/mode = "steady_state"\nalgorithm = "ga"/' ga.toml
set +e
"$STAR" check ga.toml > ga.log 2>&1
status=$?
"$STAR" replay runs/generational > replay-gen.log 2>&1
replay_status=$?
set -e
[ $status = 2 ] && grep -q 'needs algorithm = "nsga2"' ga.log || { cat ga.log; fail "GA under steady_state was not refused"; }
[ $replay_status = 2 ] || { cat replay-gen.log; fail "replay of a generational run was not refused"; }
echo "PASS"
