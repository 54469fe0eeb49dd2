#!/usr/bin/env bash
# Runs one MPI rank's command with its output in <log-dir>/<prefix>-rank<N>.log; rank 0's output
# also goes to the job's own log (stdout). Used by the Slurm scripts:
#   srun bash jobs/rank_log.sh <log-dir> <prefix> <command...>
set -euo pipefail
log_dir=$1
prefix=$2
shift 2
rank=${SLURM_PROCID:-${OMPI_COMM_WORLD_RANK:-${PMIX_RANK:-0}}}
log="$log_dir/$prefix-rank$rank.log"
mkdir -p "$log_dir"
# exec keeps the rank's process id, so signals from srun or mpirun reach it directly. srun signals
# every process of the step, tee too: tee ignores the stop signals, or it would die at Slurm's
# warning and the rank's next line of output would end it with SIGPIPE.
if [ "$rank" = 0 ]; then
  exec "$@" > >(trap '' USR1 TERM INT; exec tee -a "$log") 2>&1
else
  exec "$@" >> "$log" 2>&1
fi
