#!/usr/bin/env bash
# `star generate`: a byte-level model that `star train` saved continues a text prompt through
# the incremental inference path (prefill, then one decode step per token), reproducibly for a
# seed, and prints its prefill and decode speed; bad prompts and settings exit 2 with one line.
source "$(dirname "$0")/common.sh"

"$STAR" data encode-bytes "$SRC/README.md" -o data --shard-tokens 20000 > encode.log 2>&1 || { cat encode.log; fail "encode-bytes"; }
awk '/^\[task\]$/ {skip = 1; next} skip && /^\[/ {skip = 0} !skip' "$SRC/tests/data/tiny.toml" |
  sed 's/^name = "tiny"/name = "lm"/; s/^\[genome\]$/[genome]\nclasses = [1, 2, 3, 6]/' > lm.toml
printf '[task]\nkind = "shards"\nvocab_size = 256\nseq_len = 32\ntrain_examples = 256\ntest_examples = 32\ntrain_shards = "data/train_*.bin"\nval_shards = "data/val_*.bin"\n' >> lm.toml
# Attention, a recurrence and a short convolution, each followed by SwiGLU.
genome=31111-11111-61111
"$STAR" train lm.toml --genome "$genome" --out model --tokens 40960 > train.log 2>&1 || { cat train.log; fail "star train"; }

generate() { "$STAR" generate lm.toml --checkpoint model "$@"; }
generate --prompt "The search " --tokens 40 --temperature 0.8 --top-k 20 --seed 5 > a.log 2>&1 || { cat a.log; fail "generate"; }
generate --prompt "The search " --tokens 40 --temperature 0.8 --top-k 20 --seed 5 > b.log 2>&1 || { cat b.log; fail "generate again"; }
cat a.log
cmp -s <(head -n -1 a.log) <(head -n -1 b.log) || fail "the same seed sampled different text"
head -c 11 a.log | grep -qF "The search " || fail "the output does not start with the prompt"
grep -qE "^$genome on cpu: prefill 11 tokens in [0-9.]+ ms \([0-9]+ tokens/s\); decode 39 tokens in [0-9.]+ ms \([0-9]+ tokens/s, [0-9.]+ ms per token\); cache [0-9]+ bytes$" a.log ||
  fail "no speed line"
generate --prompt-tokens 84,104,101 --tokens 5 --temperature 0 > ids.log 2>&1 || { cat ids.log; fail "token ids"; }
grep -qE "^84 104 101 \| ([0-9]+ ){5}$" ids.log || { cat ids.log; fail "token ids not printed as ids"; }

# refused <expected text> <args...>: exits 2 with that line, printing nothing on stdout.
refused() {
  local expected=$1 status=0
  shift
  generate "$@" > out.log 2> err.log || status=$?
  [ $status -eq 2 ] || { cat out.log err.log; fail "exit $status, not 2, for $*"; }
  grep -qF -- "$expected" err.log || { cat err.log; fail "did not say: $expected"; }
  [ "$(wc -l < err.log)" -eq 1 ] || { cat err.log; fail "more than one line for $*"; }
  [ ! -s out.log ] || { cat out.log; fail "printed output for $*"; }
}
refused "star generate: --prompt-tokens: \"300\" is not a token id of this model (0 to 255)" --prompt-tokens 1,300
refused "give the prompt as --prompt TEXT or as --prompt-tokens IDS (one of them)" --tokens 3
refused "give the prompt as --prompt TEXT or as --prompt-tokens IDS (one of them)" --prompt a --prompt-tokens 1
refused "--temperature must be at least 0" --prompt a --temperature -1
status=0
"$STAR" generate lm.toml --checkpoint nowhere --prompt a > out.log 2> err.log || status=$?
[ $status -eq 2 ] && grep -qF "nowhere/state.toml" err.log || { cat err.log; fail "a missing checkpoint: exit $status"; }
echo "PASS"
