#!/usr/bin/env bash
# Any text becomes a data set: encode files as byte shards, evolve on them (quality is the
# validation loss), and get clear errors for damaged or missing shards before any training.
source "$(dirname "$0")/common.sh"

"$STAR" data encode-bytes "$SRC/README.md" "$SRC"/src/app/*.cpp -o data --shard-tokens 20000 \
  > encode.log 2>&1 || { cat encode.log; fail "encode-bytes"; }
cat encode.log
ls data/train_000000.bin data/train_000001.bin data/val_000000.bin > /dev/null || fail "shards missing"

shards_config() {  # shards_config <name> <train glob>: tiny.toml with a byte-shards task
  awk '/^\[task\]$/ {skip = 1; next} skip && /^\[/ {skip = 0} !skip' "$SRC/tests/data/tiny.toml" |
    sed "s/^name = \"tiny\"/name = \"$1\"/" > "$1.toml"
  printf '[task]\nkind = "shards"\nvocab_size = 256\nseq_len = 16\ntrain_examples = 256\ntest_examples = 32\ntrain_shards = "%s"\nval_shards = "data/val_*.bin"\n' "$2" >> "$1.toml"
}

shards_config lm "data/train_*.bin"
"$STAR" check lm.toml || fail "a good shards configuration was rejected"
"$MPIEXEC" -np 2 "$STAR" evolve lm.toml > lm.log 2>&1 || { cat lm.log; fail "evolution on byte shards"; }
grep -q "search complete: 3 generations" lm.log || { cat lm.log; fail "did not finish"; }
# Trained byte models beat uniform guessing over 256 bytes (loss ln 256 = 5.55).
h5dump -d /generations/g000002/population/loss -y -w 0 runs/lm/results.h5 | sed -n '/DATA {/,/}/p' | tr ',' '\n' |
  grep -oE '[0-9]+\.[0-9]+' | awk '{ if ($1 < 5.0) good++ } END { exit !(good > 0) }' || fail "no genome learned anything"

# check_refused <name> <expected text>: `star check <name>.toml` exits 2 and says the text.
check_refused() {
  local status=0
  "$STAR" check "$1.toml" > "$1.log" 2>&1 || status=$?
  [ $status -eq 2 ] || { cat "$1.log"; fail "$1: star check exited $status, not 2"; }
  grep -qF -- "$2" "$1.log" || { cat "$1.log"; fail "$1: star check did not say: $2"; }
}

printf 'not a shard, just text that is long enough to hold a header of 1024 bytes%01000d' 0 > data/train_bad.bin
shards_config damaged "data/train_*.bin"
check_refused damaged "damaged.toml: [task] data/train_bad.bin: not a token shard: magic"
# star check reads every token of every shard (reading the configuration opens the shards but
# reads no token): one token out of the vocabulary is found and placed exactly.
mkdir -p oov
cp data/train_000000.bin data/train_000001.bin oov/
printf '\x2c\x01' | dd of=oov/train_000001.bin bs=1 seek=$((1024 + 2 * 15000)) conv=notrunc 2> /dev/null  # token 300
shards_config oov "oov/train_*.bin"
check_refused oov "star check: oov.toml: [task] train_shards: oov/train_000001.bin: token 300 at token 15000 (byte offset 31024) is not below the vocabulary size 256"
# Only regular files are data: /dev/zero would be read until memory ran out, a FIFO would wait.
mkfifo fifo
for input in /dev/zero fifo; do
  status=0
  timeout 20 "$STAR" data encode-bytes "$input" -o never > device.log 2>&1 || status=$?
  [ $status -eq 2 ] && grep -q "$input: not a regular file" device.log || { cat device.log; fail "encode-bytes $input: status $status"; }
done
[ ! -e never ] || fail "encode-bytes of a device wrote its output directory"

shards_config missing "nowhere/train_*.bin"
set +e
"$MPIEXEC" -np 2 "$STAR" evolve missing.toml > missing.log 2>&1
status=$?
set -e
[ $status -ne 0 ] || fail "missing shards were accepted"
grep -q 'no token shards match "nowhere/train_\*.bin"' missing.log || { cat missing.log; fail "missing shards not named"; }
[ ! -e runs/missing ] || fail "a bad configuration created a run directory"
echo "PASS"
