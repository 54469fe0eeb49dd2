#!/usr/bin/env bash
# The same seed gives the same search with 1, 2 and 3 ranks, and with a group of 2 ranks
# (the dynamic work queue changes who trains what, never the results).
source "$(dirname "$0")/common.sh"

for ranks in 1 2 3; do
  tiny_config "np$ranks"
  "$MPIEXEC" -np $ranks "$STAR" evolve "np$ranks.toml" > "np$ranks.log" 2>&1 || { cat "np$ranks.log"; fail "run with $ranks ranks"; }
  grep -q "generation 3/3" "np$ranks.log" || { cat "np$ranks.log"; fail "no generation report with $ranks ranks"; }
  results_digest "runs/np$ranks/results.h5" > "np$ranks.digest"
done
cat np2.log
cmp np1.digest np2.digest || { diff np1.digest np2.digest | head -40; fail "1 and 2 ranks differ"; }
cmp np1.digest np3.digest || { diff np1.digest np3.digest | head -40; fail "1 and 3 ranks differ"; }
[ "$(grep -c '^== ' np1.digest)" -ge 45 ] || fail "digest too small"

# Data-parallel groups of 2 ranks (and a smaller last group with 3 ranks) finish the search.
tiny_config "groups" "[dist]
ranks_per_group = 2"
"$MPIEXEC" -np 3 "$STAR" evolve groups.toml > groups.log 2>&1 || { cat groups.log; fail "grouped run"; }
grep -q "2 groups of up to 2" groups.log || { cat groups.log; fail "groups not reported"; }
grep -q "search complete: 3 generations" groups.log || { cat groups.log; fail "grouped run incomplete"; }
echo "PASS"
