#!/usr/bin/env bash
# The same search without and with [train] hurdles, seed by seed, then analysis/compare_runs.py on
# the pairs: the tokens the hurdles saved and the final hypervolumes against the plain runs'
# reference points (issue 24's measurement, README "Hurdles").
#
#   tests/perf/hurdle_savings.sh STAR CONFIG POPULATION GENERATIONS HURDLES OUT SEED...
#   e.g. tests/perf/hurdle_savings.sh build/cpu/src/app/star inputs/quickstart.toml 16 8 \
#          '[[0.125, 50], [0.25, 50], [0.5, 50]]' /tmp/hurdles 1 2 3 4
#
# CONFIG's [run] name and seed, [evolution] population and generations and [train] hurdles are
# replaced; everything else is as it says. Each run goes through `${MPIEXEC:-mpirun} -np ${RANKS:-2}`; its log
# and run directory go to OUT/<plain|hurdles>_s<seed>.
set -euo pipefail
[ $# -ge 7 ] || { echo "usage: $0 STAR CONFIG POPULATION GENERATIONS HURDLES OUT SEED..." >&2; exit 2; }
star=$(realpath "$1") config=$2 population=$3 generations=$4 hurdles=$5 out=$6
shift 6
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"

# configure <name> <seed> <hurdles>: CONFIG with the keys above replaced, on standard output.
configure() {
  awk -v name="$1" -v seed="$2" -v hurdles="$3" -v population="$population" -v generations="$generations" '
    function add(s) {
      if (s == "run") { print "name = \"" name "\""; print "seed = " seed }
      if (s == "train") print "hurdles = " hurdles
      if (s == "evolution") { print "population = " population; print "generations = " generations }
      done[s] = 1
    }
    /^\[[a-z_]+\]/ { section = substr($0, 2, index($0, "]") - 2); print; add(section); next }
    section == "run" && /^(name|seed) *=/ { next }
    section == "train" && /^hurdles *=/ { next }
    section == "evolution" && /^(population|generations) *=/ { next }
    { print }
    END { split("run train evolution", s, " "); for (i = 1; i <= 3; i++) if (!done[s[i]]) { print "[" s[i] "]"; add(s[i]) } }
  ' "$config"
}

pairs=()
for seed in "$@"; do
  for mode in plain hurdles; do
    name=${mode}_s$seed
    configure "$name" "$seed" "$([ $mode = plain ] && echo '[]' || echo "$hurdles")" > "$out/$name.toml"
    rm -rf "$out/$name"
    start=$(date +%s)
    "${MPIEXEC:-mpirun}" -np "${RANKS:-2}" "$star" evolve "$out/$name.toml" --run-dir "$out/$name" > "$out/$name.log" 2>&1 \
      || { tail -5 "$out/$name.log"; echo "$name failed (log: $out/$name.log)" >&2; exit 1; }
    echo "$name: $(( $(date +%s) - start )) s"
    pairs+=("$out/$name/results.h5")
  done
done
/usr/bin/python3 "$root/analysis/compare_runs.py" "${pairs[@]}"
