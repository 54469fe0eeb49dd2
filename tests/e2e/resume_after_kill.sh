#!/usr/bin/env bash
# Kill a run (SIGKILL, no chance to clean up) once its first generation is checkpointed, resume
# it, and compare with a run never interrupted: genome for genome, score for score.
source "$(dirname "$0")/common.sh"

tiny_config straight
sed -i 's/^generations = 3/generations = 6/' straight.toml
"$MPIEXEC" -np 2 "$STAR" evolve straight.toml > straight.log 2>&1 || { cat straight.log; fail "uninterrupted run"; }

tiny_config killed
sed -i 's/^generations = 3/generations = 6/' killed.toml
setsid "$MPIEXEC" -np 2 "$STAR" evolve killed.toml > killed.log 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
  [ -f runs/killed/results.h5 ] && break
  sleep 0.1
done
[ -f runs/killed/results.h5 ] || { cat killed.log; fail "no checkpoint appeared"; }
kill -KILL -- "-$launcher" 2>/dev/null || true
wait "$launcher" 2>/dev/null || true
pkill -KILL -f "evolve killed.toml" 2>/dev/null || true
done_before=$(h5ls runs/killed/results.h5/generations | wc -l)
echo "killed after $done_before complete generation(s)"
[ "$done_before" -lt 6 ] || fail "the run finished before it could be killed"

"$MPIEXEC" -np 2 "$STAR" evolve killed.toml --resume > resumed.log 2>&1 || { cat resumed.log; fail "resume"; }
cat resumed.log
grep -q "resuming runs/killed/results.h5 after generation $done_before of 6" resumed.log || fail "resume did not say where it continues"
results_digest runs/straight/results.h5 > straight.digest
results_digest runs/killed/results.h5 > resumed.digest
cmp straight.digest resumed.digest || { diff straight.digest resumed.digest | head -40; fail "resumed run differs from the uninterrupted one"; }

# Resuming a finished run changes nothing and says so.
before=$(md5sum runs/killed/results.h5)
"$MPIEXEC" -np 1 "$STAR" evolve killed.toml --resume > again.log 2>&1 || { cat again.log; fail "resume of a finished run"; }
grep -q "search complete: 6 generations" again.log || { cat again.log; fail "finished run not reported"; }
[ "$before" = "$(md5sum runs/killed/results.h5)" ] || fail "resuming a finished run rewrote its results"
echo "PASS"
