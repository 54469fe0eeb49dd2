#!/usr/bin/env bash
# Bad input is reported clearly, before any training, and never overwrites good results.
source "$(dirname "$0")/common.sh"

expect_error() {  # expect_error <expected text> <command...>
  local expected=$1
  shift
  set +e
  "$@" > out.log 2>&1
  local status=$?
  set -e
  [ $status -ne 0 ] || { cat out.log; fail "'$*' succeeded"; }
  grep -qF -- "$expected" out.log || { cat out.log; fail "'$*' did not say: $expected"; }
}

printf '[train]\nbatch_size = "big"\n' > broken.toml
expect_error 'broken.toml:2: [train] batch_size: expected an integer, got "big"' "$MPIEXEC" -np 2 "$STAR" evolve broken.toml
expect_error 'cannot open the configuration file' "$MPIEXEC" -np 2 "$STAR" evolve missing.toml
[ ! -e runs ] || fail "a bad configuration created a run directory"

tiny_config good
expect_error 'nothing to resume' "$MPIEXEC" -np 1 "$STAR" evolve good.toml --resume
"$MPIEXEC" -np 2 "$STAR" evolve good.toml > good.log 2>&1 || { cat good.log; fail "good run"; }
before=$(md5sum runs/good/results.h5)
expect_error 'already holds the results of a run' "$MPIEXEC" -np 2 "$STAR" evolve good.toml
[ "$before" = "$(md5sum runs/good/results.h5)" ] || fail "results were overwritten"

# A changed search cannot silently continue an old checkpoint: every key the schema marks "must
# match on resume" is refused (tests/io/test_config_schema.cpp tries each), the training settings too.
sed -i 's/^population = 6/population = 7/' good.toml
expect_error '[evolution] population' "$MPIEXEC" -np 1 "$STAR" evolve good.toml --resume
[ "$before" = "$(md5sum runs/good/results.h5)" ] || fail "results were overwritten"
sed -i 's/^population = 7/population = 6/; s/^learning_rate = 3e-3/learning_rate = 3e-3\nweight_decay = 0.5/' good.toml
set +e
"$MPIEXEC" -np 1 "$STAR" evolve good.toml --resume > decay.log 2>&1
status=$?
set -e
[ $status -eq 2 ] && grep -qF "differs from the checkpoint's configuration in [train] weight_decay" decay.log ||
  { cat decay.log; fail "a resume with another [train] weight_decay was not refused with exit status 2"; }
[ "$before" = "$(md5sum runs/good/results.h5)" ] || fail "a refused resume changed the results"
sed -i '/^weight_decay = 0.5$/d' good.toml
# The reference of every key, from the same schema.
"$STAR" check --explain > explain.log
grep -qF '  weight_decay = 0.1  (number, 0..10; must match on resume)' explain.log || { cat explain.log; fail "explain"; }
expect_error 'give a configuration file' "$STAR" check

# A damaged newest checkpoint: resume says so and continues from the previous one.
sed -i 's/^population = 7/population = 6/; s/^generations = 3/generations = 4/' good.toml
truncate -s 1000 runs/good/results.h5
"$MPIEXEC" -np 2 "$STAR" evolve good.toml --resume > damaged.log 2>&1 || { cat damaged.log; fail "resume from previous checkpoint"; }
grep -q "using the previous checkpoint" damaged.log || { cat damaged.log; fail "damaged checkpoint not reported"; }
grep -q "search complete: 4 generations" damaged.log || { cat damaged.log; fail "did not finish"; }
# A second damaged checkpoint is set aside under a name of its own: no damaged file replaces another.
sed -i 's/^generations = 4/generations = 5/' good.toml
truncate -s 1000 runs/good/results.h5
"$MPIEXEC" -np 1 "$STAR" evolve good.toml --resume > damaged2.log 2>&1 || { cat damaged2.log; fail "second damaged resume"; }
[ "$(compgen -G 'runs/good/results.h5.damaged-*' | wc -l)" -eq 2 ] || { ls runs/good; fail "two damaged files, not both kept"; }
grep -q "the damaged file is kept as runs/good/results.h5.damaged-" damaged2.log || { cat damaged2.log; fail "not said"; }

# Genomes on the command line.
expect_error 'LIV 2' "$STAR" genome describe 21211-3#112
expect_error 'not valid' "$STAR" genome describe 21212-31112
"$STAR" genome describe 21211-31112-21221-32112 > describe.log
grep -q "shared from LIV 1" describe.log || { cat describe.log; fail "describe shows no sharing"; }
# The engine on a test problem: a CSV front and its hypervolume; an unknown problem is refused.
"$STAR" moo --problem zdt1 --pop 40 --gens 30 --seed 2 > front.csv 2> moo.log
[ "$(head -1 front.csv)" = "f1,f2" ] || fail "moo front has no header"
[ "$(wc -l < front.csv)" -gt 10 ] || fail "moo front too small"
grep -q "of the analytic front" moo.log || { cat moo.log; fail "moo printed no hypervolume"; }
expect_error 'zdt9' "$STAR" moo --problem zdt9
"$STAR" moo --problem zdt1 --pop 40 --gens 30 --seed 2 --mode steady_state --workers 4 > front.csv 2> moo.log
[ "$(wc -l < front.csv)" -gt 10 ] && grep -q "steady-state on 4 workers" moo.log || { cat moo.log; fail "steady-state moo"; }
expect_error 'steady' "$STAR" moo --mode steady
# The work-queue simulator: one row per number of groups; a bad cost source is refused.
"$STAR" simulate --groups 1,4,16 --per-group 2 --costs uniform:1:3 --trials 5 > simulate.log
[ "$(grep -cE '^ +(1|4|16) +(2|8|32) \|' simulate.log)" -eq 3 ] || { cat simulate.log; fail "simulate table"; }
printf '5\n1\n# comment\n2.5\n' > costs.txt
"$STAR" simulate --groups 2 --costs costs.txt > simulate.log || fail "simulate with a costs file"
grep -q "3 costs from costs.txt" simulate.log || { cat simulate.log; fail "costs file not described"; }
expect_error 'neither a readable file' "$STAR" simulate --costs lognormal
expect_error '--wide-above' "$STAR" simulate --wide-above -1
"$STAR" simulate --groups 64 --trials 20 --wide-above 4 > simulate.log || fail "steady-state simulation"
grep -q "steady-state" simulate.log || { cat simulate.log; fail "no steady-state column"; }
echo "PASS"
