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
