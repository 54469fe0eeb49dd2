# Shared by the Slurm scripts (sourced, from the repository root): finds the star executable,
# launches it on every rank of the job, and passes Slurm's wall-time warning on to it.
#   $star                  the executable: STAR_BIN, else build/cuda, else build/cpu
#   launch <command...>    srun (or mpirun where srun is missing) in the background
#   wait_for_launcher      waits for it; sets $status, and $warned=1 if the warning came

star=${STAR_BIN:-}
if [ -z "$star" ]; then
  for candidate in build/cuda/src/app/star build/cpu/src/app/star; do
    if [ -x "$candidate" ]; then star=$PWD/$candidate; break; fi
  done
fi
if [ -z "$star" ] || [ ! -x "$star" ]; then
  echo "no star executable (build it with jobs/setup.sh or jobs/build_cuda.sh, or set STAR_BIN)" >&2
  exit 2
fi
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi

launch() {
  if command -v srun > /dev/null && [ -n "${SLURM_JOB_ID:-}" ]; then
    srun --mpi="${STAR_SRUN_MPI:-pmix}" --kill-on-bad-exit=1 "$@" &
  else
    mpirun -np "${SLURM_NTASKS:-1}" "$@" &
  fi
  launcher=$!
}

# Slurm's warning (--signal=B:USR1@...) reaches this shell only: pass it on to the ranks.
warned=0
trap 'warned=1; echo "== $(date -Is) wall time near: signalling the run"; kill -USR1 "$launcher" 2>/dev/null' USR1
trap 'kill -TERM "$launcher" 2>/dev/null' TERM

wait_for_launcher() {
  while true; do
    wait "$launcher"
    status=$?
    kill -0 "$launcher" 2>/dev/null || break  # a signal interrupted wait, not the launcher's exit
  done
}
