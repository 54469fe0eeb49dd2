#!/usr/bin/env bash
# The STAR protocol on a tiny language-model search: gzip text becomes train, validation and test
# shards (blocks dealt over the whole text); a search on them; then `star retrain` of the final
# front and a baseline, 30 x longer and scored on the test split, stopped by SIGUSR1 and killed
# with SIGKILL mid-genome, and resumed each time to the same file as a retraining never stopped.
source "$(dirname "$0")/common.sh"

cat "$SRC/README.md" "$SRC"/src/app/*.cpp "$SRC"/src/train/*.cpp | gzip > corpus.txt.gz
bytes=$(gzip -dc corpus.txt.gz | wc -c)
"$STAR" data encode-bytes corpus.txt.gz -o data --val-fraction 0.05 --test-fraction 0.05 --block-bytes 4096 \
  --shard-tokens 50000 > encode.log 2>&1 || { cat encode.log; fail "encode-bytes"; }
cat encode.log
ls data/train_000000.bin data/val_000000.bin data/test_000000.bin > /dev/null || fail "shards missing"
# The three splits hold every byte once.
total=$(awk '$1 ~ /^(train|val|test)$/ {n += $2} END {print n}' encode.log)
[ "$total" -eq "$bytes" ] || fail "the splits hold $total tokens, the text $bytes bytes"
# Dealt in blocks: the test split is not the text's last bytes (that would be one stretch at the end).
gzip -dc corpus.txt.gz | tail -c 2000 > tail.txt
cmp -s <(tail -c 2000 data/test_000000.bin) tail.txt && fail "the test split is the text's tail, not blocks"

# A 4-generation search on the shards, Transformer-like genome among the initial ones.
awk '/^\[task\]$/ {skip = 1; next} skip && /^\[/ {skip = 0} !skip' "$SRC/tests/data/tiny.toml" |
  sed -e 's/^name = "tiny"/name = "lm"/' -e 's/^generations = 3/generations = 4/' > lm.toml
printf '[task]\nkind = "shards"\nvocab_size = 256\nseq_len = 16\ntrain_examples = 256\ntest_examples = 32\n' >> lm.toml
printf 'train_shards = "data/train_*.bin"\nval_shards = "data/val_*.bin"\n' >> lm.toml
printf '[metrics]\ncache_seq_len = 64\n' >> lm.toml
sed -i 's/^\[evolution\]$/[evolution]\nobjectives = ["quality", "cache"]\ninitial_genomes = ["31111-11111-31111"]/' lm.toml
"$MPIEXEC" -np 2 "$STAR" evolve lm.toml > lm.log 2>&1 || { cat lm.log; fail "the search"; }
grep -q "search complete: 4 generations" lm.log || { cat lm.log; fail "the search did not finish"; }

common=(retrain runs/lm/results.h5 --baseline attention=31111-11111-31111 --budget-factor 30
        --heldout "data/test_*.bin" --heldout-windows 64 --save-every 40)
retrain=("${common[@]}" --top 2)

# The reference: a retraining never stopped.
"$MPIEXEC" -np 2 "$STAR" "${retrain[@]}" --out straight > straight.log 2>&1 || { cat straight.log; fail "retrain"; }
cat straight.log
grep -q "retraining complete: straight/retrain.h5" straight.log || fail "retrain did not finish"
grep -q "held out: 64 windows of data/test_\*.bin" straight.log || fail "not scored on the test split"
rows=$(h5dump -d /genomes/status -y -w 0 straight/retrain.h5 | sed -n '/DATA {/,/}/p' | grep -o '"ok"' | wc -l)
[ "$rows" -eq 3 ] || fail "expected 3 genomes retrained ok (2 of the front, 1 baseline), got $rows"
# Retrained 30 x longer than the search: the held-out loss is below the search's for the baseline.
h5dump -d /genomes/tokens -y -w 0 straight/retrain.h5 | grep -q 153600 || fail "tokens are not 30 x the search's 5120"

digest() {  # the retraining's results without timings
  for d in name role genome status front_rank search_loss loss accuracy parameters cache_bytes_short cache_bytes_long tokens; do
    echo "== $d"; h5dump -d "/genomes/$d" -y -w 0 "$1" | sed -n '/DATA {/,/}/p'
  done
}

# Stopped by SIGUSR1 (to mpirun, as Slurm's warning) once the first genome has a checkpoint.
"$MPIEXEC" -np 2 "$STAR" "${retrain[@]}" > stopped.log 2>&1 &
runner=$!
first_checkpoint() { ls -d runs/lm/retrain/*/step_* > /dev/null 2>&1; }
wait_for 120 first_checkpoint || { cat stopped.log; fail "no checkpoint appeared"; }
kill -USR1 $runner
set +e
wait $runner
status=$?
set -e
cat stopped.log
[ $status -eq 75 ] || fail "a stopped retraining exits $status, not 75"
grep -q "stopped by a signal" stopped.log || fail "no stop message"
grep -q '"pending"' <(h5dump -d /genomes/status -y -w 0 runs/lm/retrain/retrain.h5) || fail "the stop finished everything"

# Without --resume an existing retraining is refused, and left as it was.
cp runs/lm/retrain/retrain.h5 before.h5
set +e
"$MPIEXEC" -np 2 "$STAR" "${retrain[@]}" > again.log 2>&1
status=$?
set -e
[ $status -eq 2 ] && grep -q "already holds a retraining: add --resume" again.log || { cat again.log; fail "not refused"; }
cmp before.h5 runs/lm/retrain/retrain.h5 || fail "a refused retraining changed the file"
# Other settings on --resume are refused too.
set +e
"$MPIEXEC" -np 2 "$STAR" "${common[@]}" --top 1 --resume > other.log 2>&1
status=$?
set -e
[ $status -eq 2 ] && grep -q "was started with other settings" other.log || { cat other.log; fail "other settings mixed in"; }

# Resumed, then killed with SIGKILL once a later genome has a checkpoint.
"$MPIEXEC" -np 2 "$STAR" "${retrain[@]}" --resume > killed.log 2>&1 &
runner=$!
finished_one() { h5dump -d /genomes/status -y -w 0 runs/lm/retrain/retrain.h5 2>/dev/null | grep -q '"ok"'; }
later_checkpoint() { [ "$(ls -d runs/lm/retrain/*/step_* 2>/dev/null | wc -l)" -ge 2 ]; }
wait_for 120 finished_one || { cat killed.log; fail "no genome finished after the resume"; }
wait_for 120 later_checkpoint || true
kill -9 $runner 2>/dev/null || true
wait $runner 2>/dev/null || true
pkill -9 -f "star retrain runs/lm/results.h5" || true
grep -q "resuming after step" killed.log || { cat killed.log; fail "the stopped genome did not continue from its checkpoint"; }

"$MPIEXEC" -np 2 "$STAR" "${retrain[@]}" --resume > final.log 2>&1 || { cat final.log; fail "final resume"; }
cat final.log
grep -q "retraining complete" final.log || fail "did not finish"
digest straight/retrain.h5 > straight.digest
digest runs/lm/retrain/retrain.h5 > resumed.digest
cmp straight.digest resumed.digest || { diff straight.digest resumed.digest | head -30; fail "the resumed retraining differs"; }
echo "PASS"
