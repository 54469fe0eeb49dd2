# Shared by the end-to-end scripts: arguments, a tiny configuration in a scratch directory, and
# a comparison of two runs' results that ignores timings.
set -euo pipefail
STAR=$1
MPIEXEC=$2
WORK=$3
SRC=${STAR_SOURCE_DIR:?}
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

# tiny_config <name> [extra TOML appended]: writes <name>.toml for run directory runs/<name>.
tiny_config() {
  sed "s/^name = \"tiny\"/name = \"$1\"/" "$SRC/tests/data/tiny.toml" > "$1.toml"
  if [ $# -gt 1 ]; then printf '%s\n' "$2" >> "$1.toml"; fi
}

# The decisions and scores of a run, without timings: one line per dataset value.
results_digest() {
  local file=$1
  h5dump -A 0 "$file" > /dev/null  # a readable HDF5 file, or fail here
  for g in $(h5ls "$file/generations" | awk '{print $1}'); do
    for part in evaluated population; do
      for d in genome status loss accuracy parameters cache_bytes objectives; do
        echo "== $g/$part/$d"
        h5dump -d "/generations/$g/$part/$d" -y -w 0 "$file" | sed -n '/DATA {/,/}/p'
      done
    done
    echo "== $g/population/front_rank"
    h5dump -d "/generations/$g/population/front_rank" -y -w 0 "$file" | sed -n '/DATA {/,/}/p'
  done
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# rank_pid <mpirun pid> <rank>: the process id of one rank started by that mpirun (on this node),
# waiting up to 30 s for it to start.
rank_pid() {
  local child tries
  for tries in $(seq 1 300); do
    for child in $(pgrep -P "$1"); do
      if tr '\0' '\n' < "/proc/$child/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2"; then
        echo "$child"
        return 0
      fi
    done
    sleep 0.1
  done
  return 1
}

# journal_records <run dir> <generation (0-based)>: intact lines in that generation's journal files.
journal_records() {
  cat "$1"/journal/"$(printf 'g%06d' "$2")"-group-*.log 2>/dev/null | grep -c $'\t[0-9a-f]\{16\}$' || true
}

# wait_for <seconds> <command...>: polls every 0.05 s until the command succeeds (arguments are
# expanded once: put a changing condition in a function).
wait_for() {
  local limit=$1
  shift
  local end=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.05
  done
}

# The genomes a log shows being trained to a result (not interrupted).
trained_genomes() {
  grep -E '^\[group [0-9]+\] [0-9a-z-]+  (ok|diverged|oom|failed) ' "$1" | awk '{print $3}' | sort
}

# resume_to_the_end <ranks> <name> <generations>: resumes runs/<name> to completion and compares
# its results with runs/straight's (a run of the same search never interrupted).
resume_to_the_end() {
  local ranks=$1 name=$2 generations=$3
  "$MPIEXEC" -np "$ranks" "$STAR" evolve "$name.toml" --resume auto > "$name-final.log" 2>&1 || { cat "$name-final.log"; fail "final resume"; }
  cat "$name-final.log"
  grep -q "search complete: $generations generations" "$name-final.log" || fail "did not finish"
  results_digest runs/straight/results.h5 > straight.digest
  results_digest "runs/$name/results.h5" > "$name.digest"
  cmp straight.digest "$name.digest" || { diff straight.digest "$name.digest" | head -40; fail "$name run differs from the uninterrupted one"; }
}
