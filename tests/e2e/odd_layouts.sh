#!/usr/bin/env bash
# Layouts that do not fit neatly: ranks that do not divide into groups (stopped by a signal to one
# group member, then resumed), a population smaller than the number of groups, and a group whose
# every training throws. Each run finishes (exit 0) and reports what happened.
source "$(dirname "$0")/common.sh"

# 3 ranks in groups of 2: a group of 2 and a group of 1; population 2 with 3 single-rank groups.
tiny_config uneven $'[dist]\nranks_per_group = 2'
# SIGTERM to rank 1 alone, a member (not the leader) of group 0: its group stops at the same step
# (they agree through their gradient sums), rank 0 stops the other group, all exit with 75.
"$MPIEXEC" -np 3 "$STAR" evolve uneven.toml > uneven.log 2>&1 &
launcher=$!
one_training() { test "$(journal_records runs/uneven 0)" -ge 1; }  # the journal: logs come in bursts
wait_for 120 one_training || { cat uneven.log; fail "no training finished"; }
kill -TERM "$(rank_pid "$launcher" 1)"
set +e; wait "$launcher"; status=$?; set -e
cat uneven.log
[ "$status" -eq 75 ] || fail "SIGTERM to a group member: exit status $status, not 75"
grep -q "3 ranks in 2 groups of up to 2" uneven.log || fail "groups not reported"
"$MPIEXEC" -np 3 "$STAR" evolve uneven.toml --resume auto > uneven2.log 2>&1 || { cat uneven2.log; fail "resume of 3 ranks in groups of 2"; }
grep -q "search complete: 3 generations" uneven2.log || { cat uneven2.log; fail "uneven groups did not finish"; }

tiny_config small
sed -i 's/^population = 6/population = 2/; s/^generations = 3/generations = 2/' small.toml
"$MPIEXEC" -np 3 "$STAR" evolve small.toml > small.log 2>&1 || { cat small.log; fail "population smaller than the groups"; }
grep -q "population 2, 2 generations" small.log || { cat small.log; fail "run not described"; }
grep -q "search complete: 2 generations" small.log || { cat small.log; fail "small population did not finish"; }

# Group 1 of 3 fails every genome it takes (star with a test hook installed: no environment
# variable of the real command injects failures): those genomes are recorded as failed, the rest
# go on.
tiny_config failing
sed -i 's/^generations = 3/generations = 2/' failing.toml
"$MPIEXEC" -np 3 "${STAR_WITH_FAILING_GROUP:?}" 1 evolve failing.toml > failing.log 2>&1 || { cat failing.log; fail "run with a failing group"; }
cat failing.log
grep -q "^\[group 1\] .*  failed  .*injected failure in group 1" failing.log || fail "group 1's failures not reported"
if grep -q "^\[group [02]\] .*  failed  " failing.log; then fail "other groups failed too"; fi
grep -q "search complete: 2 generations" failing.log || fail "run with a failing group did not finish"
h5dump -d /generations/g000000/evaluated/status runs/failing/results.h5 | grep -q '"failed"' || fail "failures not in the results"
echo "PASS"
