#!/usr/bin/env bash
# The quick start: set up, build, and run the embedded default search on 2 MPI ranks.
#   bash jobs/quickstart.sh
# Results: runs/quickstart/results.h5 and the report in runs/quickstart/report/ (add --resume
# to continue an interrupted run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash jobs/setup.sh star
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
mpirun -np 2 --oversubscribe build/cpu/src/app/star evolve inputs/quickstart.toml "$@"
# The figures and tables, with Debian's Python (h5py, pandas, matplotlib).
/usr/bin/python3 analysis/report.py runs/quickstart/results.h5 -o runs/quickstart/report
