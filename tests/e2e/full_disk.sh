#!/usr/bin/env bash
# A write that fails never corrupts a run. Everywhere: rank 0's journal file replaced by a
# directory stops the run with exit status 3 and a message naming it (rank 0's failure while its
# helper thread serves the other groups: this was a segfault). On a small tmpfs (root only; the
# rest is skipped with status 77 where mount is not allowed): a new run on a full disk exits 3
# naming config.toml and leaves no half-written config.toml; a disk that fills up mid-run stops
# every rank with exit status 3 and a message naming the file (no signal, no core); once space is
# freed, --resume finishes with results identical to a run never interrupted.
source "$(dirname "$0")/common.sh"

tiny_config unwritable
mkdir -p runs/unwritable/journal/g000000-group-0000.log  # a directory where rank 0 appends
cp unwritable.toml runs/unwritable/config.toml
set +e
"$MPIEXEC" -np 2 "$STAR" evolve unwritable.toml --resume > unwritable.log 2>&1
status=$?
set -e
cat unwritable.log
[ $status -eq 3 ] || fail "rank 0's journal unwritable: exit status $status, not 3"
grep -q "star evolve: rank 0: cannot open the journal runs/unwritable/journal/g000000-group-0000.log: Is a directory" \
  unwritable.log || fail "the journal file is not named"
! grep -qiE "segmentation|core dumped|signal 11|signal 6" unwritable.log || fail "a rank died of a signal"

mkdir -p disk
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=8m tmpfs disk 2> /dev/null; then
  echo "SKIP: cannot mount a tmpfs here"
  exit 77
fi
trap 'cd "$WORK" && umount disk 2> /dev/null || true' EXIT

fill() { dd if=/dev/zero of=disk/filler bs=64k 2> /dev/null || true; }

tiny_config straight
"$MPIEXEC" -np 2 "$STAR" evolve straight.toml > straight.log 2>&1 || { cat straight.log; fail "uninterrupted run"; }

# 1. Full before the run starts: config.toml cannot be written.
tiny_config full
fill
set +e
"$MPIEXEC" -np 2 "$STAR" evolve full.toml --run-dir disk/full > start.log 2>&1
status=$?
set -e
cat start.log
[ $status -eq 3 ] || fail "a full disk at the start: exit status $status, not 3"
grep -q "star evolve: cannot write disk/full/config.toml: No space left on device" start.log || fail "config.toml not named"
[ ! -e disk/full/config.toml ] && [ ! -e disk/full/config.toml.tmp ] || fail "a half-written config.toml was left"
# star train on a full disk: the failed save is named, training ends with exit status 3, and no
# state.toml claims weights that are not there.
status=0
"$STAR" train full.toml --genome "$("$STAR" genome sample -n 1 --config full.toml --seed 1)" --out disk/train \
  --save-every 5 > train.log 2>&1 || status=$?
cat train.log
[ $status -eq 3 ] || fail "star train on a full disk: exit status $status, not 3"
grep -q "star train: .*disk/train/step_00000005.*No space left on device" train.log || fail "the failed save is not named"
grep -q "no checkpoint was saved in disk/train" train.log || fail "star train did not say nothing was saved"
[ ! -e disk/train/state.toml ] || fail "state.toml written for a failed save"
rm -f disk/filler

# 2. Full mid-run: the run stops with exit 3 and a message naming the file it could not write.
"$MPIEXEC" -np 2 "$STAR" evolve full.toml --run-dir disk/full > mid.log 2>&1 &
launcher=$!
wait_for 120 test -s disk/full/config.toml || { cat mid.log; fail "the run did not start"; }
fill
status=0
wait $launcher || status=$?
cat mid.log
[ $status -eq 3 ] || fail "a disk full mid-run: exit status $status, not 3"
grep -qE "cannot (write|sync|open|create) .*disk/full/.*No space left on device|disk/full/results.h5" mid.log ||
  fail "the message does not name the file"
! grep -qiE "segmentation|core dumped|signal 11|signal 6" mid.log || fail "a rank died of a signal"
[ ! -e core ] || fail "core dump"

# 3. Space freed: resume continues to the same results as the uninterrupted run.
rm -f disk/filler
"$MPIEXEC" -np 2 "$STAR" evolve full.toml --run-dir disk/full --resume > resumed.log 2>&1 || { cat resumed.log; fail "resume"; }
grep -q "search complete: 3 generations" resumed.log || { cat resumed.log; fail "did not finish"; }
results_digest runs/straight/results.h5 > straight.digest
results_digest disk/full/results.h5 > resumed.digest
cmp straight.digest resumed.digest || { diff straight.digest resumed.digest | head -40; fail "resumed run differs"; }
echo "PASS"
