#!/usr/bin/env bash
# star train and star eval: one genome trained on 1 rank and data parallel on 2 ranks (the same
# total batch gives the same loss curve), saved, scored again by star eval, resumed after a kill.
source "$(dirname "$0")/common.sh"

tiny_config t
sed -i 's/^token_budget = .*/token_budget = 20480/' t.toml  # 80 steps of 16 x 16
G=31111-11111-21111

"$MPIEXEC" -np 1 "$STAR" train t.toml --genome $G --out one --save-every 25 > one.log 2>&1 || { cat one.log; fail "1-rank train"; }
"$MPIEXEC" -np 2 "$STAR" train t.toml --genome $G --out two --save-every 25 > two.log 2>&1 || { cat two.log; fail "2-rank train"; }
cat two.log
grep -q "2 ranks" two.log || fail "the 2-rank training did not say it runs on 2 ranks"
# The loss curves agree to float tolerance (the 2-rank sum differs only in rounding order).
curve() { sed -n '/^loss_curve/,/^\]/p' "$1/state.toml" | grep -oE '\[ [0-9]+, [-0-9.e]+ \]' | tr -d '[],'; }
paste <(curve one) <(curve two) | awk '
  { n++; if ($1 != $3) bad = "steps differ"; d = $2 - $4; if (d < 0) d = -d; if (d > 1e-4 * (1 + $2)) bad = "step " $1 ": " $2 " vs " $4 }
  END { if (n < 20) bad = "only " n " curve points"; if (bad) { print bad; exit 1 } }' || fail "1-rank and 2-rank loss curves differ"

# star eval scores the saved model exactly as the training's own final evaluation did.
final=$(grep -oE 'held-out loss [0-9.]+' one.log)
"$STAR" eval t.toml --checkpoint one > eval.log 2>&1 || { cat eval.log; fail "eval"; }
cat eval.log
grep -q "step 80/80  $final" eval.log || fail "eval disagrees with the training ($final)"

# A training killed after a checkpoint resumes from it and ends as the uninterrupted one did.
long=(--tokens 256000 --save-every 100)  # 1000 steps
"$MPIEXEC" -np 1 "$STAR" train t.toml --genome $G --out straight "${long[@]}" > straight.log 2>&1 || { cat straight.log; fail "long train"; }
final=$(grep -oE 'held-out loss [0-9.]+' straight.log)
"$MPIEXEC" -np 1 "$STAR" train t.toml --genome $G --out killed "${long[@]}" > killed.log 2>&1 &
launcher=$!
# SIGKILL goes to the training rank itself: a killed mpirun would leave it running on, still
# writing checkpoints while the resumed training starts.
rank=$(rank_pid $launcher 0) || fail "the training rank did not start"
mid_checkpoint() { grep -qE 'weights = .step_0+[1-7]00' killed/state.toml 2>/dev/null; }
wait_for 60 mid_checkpoint || fail "no checkpoint within 60 s"
kill -KILL "$rank" 2>/dev/null || true
wait $launcher 2>/dev/null || true
step=$(grep -oE '^step = [0-9]+' killed/state.toml | grep -oE '[0-9]+')
echo "killed after step $step"
[ "$step" -lt 1000 ] || fail "the training finished before it was killed"
"$MPIEXEC" -np 1 "$STAR" train t.toml --genome $G --out killed "${long[@]}" --resume > resumed.log 2>&1 || { cat resumed.log; fail "resume"; }
grep -q "resuming after step $step" resumed.log || { cat resumed.log; fail "resume did not say where it continues"; }
grep -q "$final" resumed.log || { cat resumed.log; fail "the resumed training ended differently ($final)"; }

# Bad input: an invalid genome and an existing checkpoint are refused before training.
set +e
"$STAR" train t.toml --genome 91111 > bad.log 2>&1; s1=$?
"$STAR" train t.toml --genome $G --out one > again.log 2>&1; s2=$?
set -e
[ $s1 = 2 ] && grep -q "genome 91111" bad.log || { cat bad.log; fail "invalid genome not reported"; }
[ $s2 = 2 ] && grep -q "already holds a trained model" again.log || { cat again.log; fail "checkpoint overwritten"; }

# A damaged checkpoint: a resume that cannot read optimizer.pt (or model.pt) exits 2 with one line
# naming the file and leaves state.toml, the record of the good model, as it was; star eval of a
# truncated model.pt is one line and exit status 2, not a torch stack trace.
weights=$(sed -n "s/^weights = ['\"]\(.*\)['\"]\$/\1/p" one/state.toml)
[ -n "$weights" ] || fail "no weights in one/state.toml"
state_before=$(md5sum < one/state.toml)
for file in optimizer.pt model.pt; do
  cp "one/$weights/$file" "$file.good"
  truncate -s 100 "one/$weights/$file"
  set +e
  "$MPIEXEC" -np 1 "$STAR" train t.toml --genome $G --out one --tokens 40960 --resume > "damaged-$file.log" 2>&1
  status=$?
  set -e
  [ $status -eq 2 ] || { cat "damaged-$file.log"; fail "resume with a truncated $file: status $status"; }
  grep -q "star train: cannot resume one: one/$weights/$file: cannot be read" "damaged-$file.log" ||
    { cat "damaged-$file.log"; fail "the truncated $file is not named"; }
  [ "$(md5sum < one/state.toml)" = "$state_before" ] || { cat one/state.toml; fail "a failed resume rewrote state.toml"; }
  if [ $file = model.pt ]; then
    set +e
    "$STAR" eval t.toml --checkpoint one > eval-damaged.log 2>&1
    status=$?
    set -e
    [ $status -eq 2 ] && [ "$(wc -l < eval-damaged.log)" -eq 1 ] && grep -q "one/$weights/model.pt" eval-damaged.log ||
      { cat eval-damaged.log; fail "star eval of a truncated model.pt: status $status, not one line"; }
  fi
  cp "$file.good" "one/$weights/$file"
done

# [train] max_seconds: a 2-rank training far longer than the limit stops on both ranks at the same
# step (no rank waits in a gradient sum), recorded as timeout (exit status 3, as other failures).
sed 's/^\[train\]$/[train]\nmax_seconds = 2/' t.toml > limited.toml
set +e
timeout 120 "$MPIEXEC" -np 2 "$STAR" train limited.toml --genome $G --out limited --tokens 25600000 > limited.log 2>&1
status=$?
set -e
cat limited.log
[ $status -eq 3 ] && grep -q "  timeout  .*max_seconds = 2 s before step" limited.log ||
  fail "a training past max_seconds: status $status, not a timeout"
echo "PASS"
