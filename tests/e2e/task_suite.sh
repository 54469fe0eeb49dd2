#!/usr/bin/env bash
# [task] suite end to end: star check lists the tasks, star evolve trains every genome on each
# task and records their mean, star train and star eval work on one member named by --task, and
# a changed suite refuses to resume.
source "$(dirname "$0")/common.sh"

sed 's/^name = "tiny_suite"/name = "suite"/' "$SRC/tests/data/tiny_suite.toml" > suite.toml  # 2 generations of 4

"$STAR" check suite.toml > check.log 2>&1 || { cat check.log; fail "check"; }
grep -q "suite task     memorization: vocabulary 32, length 8" check.log || { cat check.log; fail "check does not list the suite"; }

"$MPIEXEC" -np 2 "$STAR" evolve suite.toml > evolve.log 2>&1 || { cat evolve.log; fail "evolve"; }
cat evolve.log
grep -q "search complete: 2 generations" evolve.log || fail "did not finish"
# Each genome's line per task, then its result: the mean of the tasks' held-out losses (printed
# to 4 decimals, hence the tolerance).
awk '
  $1 == "[group" && $4 == "on" && $6 == "ok" { sum[$3] += $8; tasks[$3] = tasks[$3] " " $5 }
  $1 == "[group" && $4 == "ok" { mean[$3] = $6 }
  END {
    for (g in mean) {
      if (tasks[g] != " in_context_recall memorization") { print g ": trained on" tasks[g]; exit 1 }
      d = sum[g] / 2 - mean[g]; if (d < 0) d = -d
      if (d > 2e-4) { print g ": " mean[g] " is not the mean of its tasks (" sum[g] / 2 ")"; exit 1 }
      n++
    }
    if (n < 4) { print "only " n " genomes"; exit 1 }
  }' evolve.log || fail "suite results"

# One member at a time for star train and star eval.
G=31111-21111
set +e
"$STAR" train suite.toml --genome $G > none.log 2>&1; s1=$?
set -e
[ $s1 = 2 ] && grep -q "suite trains on several tasks (in_context_recall, memorization): pick one with --task" none.log ||
  { cat none.log; fail "star train without --task"; }
"$MPIEXEC" -np 1 "$STAR" train suite.toml --genome $G --task memorization > train.log 2>&1 || { cat train.log; fail "train --task"; }
cat train.log
grep -q "star train $G on memorization: .* 64 steps of 8 x 8 tokens" train.log || fail "train did not take the member's sizes"
dir=runs/suite/train/memorization/$G
grep -qE "^task = ['\"]memorization" $dir/state.toml || fail "the checkpoint does not name its task"
final=$(grep -oE 'held-out loss [0-9.]+' train.log)
"$STAR" eval suite.toml --task memorization --checkpoint $dir > eval.log 2>&1 || { cat eval.log; fail "eval --task"; }
grep -q "$final" eval.log || { cat eval.log; fail "eval disagrees with the training ($final)"; }
set +e
"$STAR" eval suite.toml --task in_context_recall --checkpoint $dir > wrong.log 2>&1; s2=$?
set -e
[ $s2 = 2 ] && grep -q "trained on task memorization, not task in_context_recall" wrong.log || { cat wrong.log; fail "eval on another task"; }

# Another suite cannot continue these results.
sed -i 's/^suite = .*/suite = ["memorization", "in_context_recall"]/; s/^generations = 2/generations = 3/' suite.toml
set +e
"$MPIEXEC" -np 1 "$STAR" evolve suite.toml --resume > resume.log 2>&1; s3=$?
set -e
[ $s3 = 2 ] && grep -qF "differs from the checkpoint's configuration in [task] suite" resume.log || { cat resume.log; fail "resume with another suite"; }
echo "PASS"
