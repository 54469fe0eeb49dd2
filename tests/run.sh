#!/usr/bin/env bash
# Sets up (dependencies and the CPU build) and runs every test: unit, MPI and end-to-end.
#   bash tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash jobs/setup.sh
ctest --preset cpu -j 2
