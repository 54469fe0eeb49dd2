#!/usr/bin/env bash
# parity_reference on the CPU at a toy size: it reads byte shards, trains (the loss falls below
# the uniform 5.55 nats) and prints its held-out loss; bad options exit 2.
#   bash tests/perf/parity_reference_smoke.sh <parity_reference> <star> <work dir>
set -euo pipefail
reference=$1 star=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$star" data encode-bytes "$STAR_SOURCE_DIR/README.md" -o shards --val-fraction 0.1 --test-fraction 0.1 \
  --block-bytes 4096 > /dev/null
"$reference" --shards shards --heldout "shards/test_*.bin" --tokens 65536 --device cpu --width 32 --heads 2 \
  --layers 2 --batch 8 --seq 64 --heldout-windows 16 --lr 3e-3 > out.log
grep -q '"heldout_loss"' out.log || { cat out.log; echo "FAIL: no held-out loss"; exit 1; }
python3 - out.log <<'PY'
import json, sys
line = [l for l in open(sys.argv[1]) if l.startswith("{")][-1]
loss = json.loads(line)["heldout_loss"]
assert 0 < loss < 5.0, f"held-out loss {loss}: did not learn"
print("parity_reference smoke: held-out loss", loss)
PY
set +e
"$reference" --shards shards --heldout "shards/test_*.bin" --tokens 65536 --bogus 1 2> err.log
status=$?
set -e
[ $status -eq 2 ] && grep -q "unknown option --bogus" err.log || { cat err.log; echo "FAIL: bad option"; exit 1; }
echo "parity_reference smoke: ok"
