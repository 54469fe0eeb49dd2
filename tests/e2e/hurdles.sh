#!/usr/bin/env bash
# [train] hurdles end to end: a search on the tiny task and on the tiny suite stops genomes at
# hurdles, records their fidelity and hurdle losses in results.h5, prints the budget saved, and
# resumes; changed hurdles refuse to resume; bad hurdles are refused before any training.
source "$(dirname "$0")/common.sh"

# hurdles_config <name> <source toml> <generations>: the source with hurdles at 1/4 and 1/2 of
# the budget, each cutting genomes worse than the median of those that reached it.
hurdles_config() {
  sed -e "s/^name = \"[a-z_]*\"/name = \"$1\"/" -e "s/^generations = .*/generations = $3/" \
      -e 's/^\[train\]$/[train]\nhurdles = [[0.25, 50], [0.5, 50]]/' "$2" > "$1.toml"
}

# column <file> <dataset>: the values of every generation's evaluated/<dataset>, one per line.
column() {
  /usr/bin/python3 -c '
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    for g in f["generations"]:
        for v in f["generations"][g]["evaluated"][sys.argv[2]][()]:
            print(v.decode() if isinstance(v, bytes) else v)' "$1" "$2"
}

hurdles_config hurdles "$SRC/tests/data/tiny.toml" 2
"$STAR" check hurdles.toml > check.log 2>&1 || { cat check.log; fail "check"; }
grep -qF "hurdles        at 25% (stop when more than 50% rank ahead), 50% (stop when more than 50% rank ahead) of the budget; none stops a genome before 3 genomes reached it" check.log \
  || { cat check.log; fail "star check does not summarise the hurdles"; }
"$MPIEXEC" -np 2 "$STAR" evolve hurdles.toml > first.log 2>&1 || { cat first.log; fail "evolve"; }
sed -i 's/^generations = 2/generations = 3/' hurdles.toml
"$MPIEXEC" -np 2 "$STAR" evolve hurdles.toml --resume > resume.log 2>&1 || { cat resume.log; fail "resume"; }
cat first.log resume.log
grep -q "search complete: 3 generations" resume.log || fail "the resumed search did not finish"
grep -Eq "[0-9]+ stopped at hurdles \([0-9]+% of the budget saved\)" first.log resume.log \
  || fail "no generation printed genomes stopped at hurdles"
status=$(column runs/hurdles/results.h5 status | sort | uniq -c)
echo "$status"
echo "$status" | grep -q " stopped$" || fail "no genome recorded as stopped"
echo "$status" | grep -q " ok$" || fail "no genome trained to the end"
# A stopped genome's fidelity is its hurdle's fraction; one trained to the end has 1.
fidelity=$(column runs/hurdles/results.h5 fidelity | sort -u | tr '\n' ' ')
[ "$fidelity" = "0.25 0.5 1.0 " ] || [ "$fidelity" = "0.25 1.0 " ] || [ "$fidelity" = "0.5 1.0 " ] \
  || fail "fidelities $fidelity"
# Every genome recorded its loss at the hurdles it reached (hurdle_losses rows are NaN-padded).
/usr/bin/python3 - runs/hurdles/results.h5 <<'PY' || fail "hurdle losses"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    for g in f["generations"]:
        e = f["generations"][g]["evaluated"]
        for status, fidelity, losses in zip(e["status"][()], e["fidelity"][()], e["hurdle_losses"][()]):
            reached = int(np.count_nonzero(~np.isnan(losses)))
            want = {0.25: 1, 0.5: 2, 1.0: 2}[float(fidelity)]
            assert reached == want, (status, fidelity, losses)
PY
/usr/bin/python3 "$SRC/analysis/report.py" runs/hurdles/results.h5 -o report > report.log 2>&1 || { cat report.log; fail "report"; }
grep -q "token budget saved by hurdles" report/report.md || { cat report/report.md; fail "report: no budget saved"; }

# Other hurdles change what a score means: the resume is refused, naming the key.
sed -i -e 's/^generations = 3/generations = 4/' -e 's/^hurdles = .*/hurdles = [[0.5, 50]]/' hurdles.toml
set +e
"$MPIEXEC" -np 2 "$STAR" evolve hurdles.toml --resume > refused.log 2>&1
code=$?
set -e
[ "$code" = 2 ] || { cat refused.log; fail "a resume with other hurdles exited $code"; }
grep -q "\[train\] hurdles" refused.log || { cat refused.log; fail "the refusal does not name [train] hurdles"; }

# Bad hurdles: exit 2 with one line naming the file, line and key, nothing trained or written.
tiny_config bad
sed -i 's/^\[train\]$/[train]\nhurdles = [[0.5, 50], [0.25, 50]]/' bad.toml
set +e
"$STAR" evolve bad.toml > bad.log 2>&1
code=$?
set -e
[ "$code" = 2 ] || { cat bad.log; fail "bad hurdles exited $code"; }
grep -q "bad.toml:.*\[train\] hurdles: fraction 0.25 follows 0.5" bad.log || { cat bad.log; fail "bad hurdles message"; }
[ ! -e runs/bad ] || fail "bad hurdles made a run directory"

# A suite: each task has its own hurdle points, in order.
hurdles_config suite "$SRC/tests/data/tiny_suite.toml" 3
"$MPIEXEC" -np 2 "$STAR" evolve suite.toml > suite.log 2>&1 || { cat suite.log; fail "suite evolve"; }
cat suite.log
grep -q "search complete: 3 generations" suite.log || fail "the suite search did not finish"
suite_status=$(column runs/suite/results.h5 status)
echo "$suite_status" | grep -qx stopped || fail "no suite genome stopped at a hurdle"
# Both hurdles fall in the first of the two tasks (at 1/2 of it and before its last step), so a
# stopped genome trained less than half the suite's budget: the task it never started counts 0.
paste <(echo "$suite_status") <(column runs/suite/results.h5 fidelity) \
  | awk '$1 == "stopped" && !($2 > 0 && $2 < 0.5) { bad = 1; print "stopped with fidelity " $2 } END { exit bad }' \
  || fail "a suite genome stopped at a hurdle records the fidelity of its task, not of the suite"
echo "PASS"
