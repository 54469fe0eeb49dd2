#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the job-script tests (Debian's slurm-wlm and
# munge; needs root).
#   bash tests/slurm/local_slurm.sh start   install if missing, configure, start, wait for the node
#   bash tests/slurm/local_slurm.sh stop    stop the daemons (the packages stay)
set -euo pipefail

conf=/etc/slurm/slurm.conf
host=$(hostname -s)

install_packages() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }

start() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    install_packages slurm-wlm munge || { apt-get update -qq && install_packages slurm-wlm munge; }
  fi
  mkdir -p /run/munge /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  chown munge:munge /run/munge
  pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged
  local memory
  memory=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
  cat > "$conf" <<CONF
# Written by tests/slurm/local_slurm.sh: a one-node test cluster.
ClusterName=startest
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ReturnToService=2
JobRequeue=1
MinJobAge=600
KillWait=30
MpiDefault=none
NodeName=$host CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
  pgrep -x slurmctld >/dev/null || slurmctld
  pgrep -x slurmd >/dev/null || slurmd
  for _ in $(seq 1 60); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      sinfo
      return 0
    fi
    sleep 1
  done
  echo "local_slurm: the node did not come up; slurmctld log:" >&2
  tail -20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
  return 1
}

stop() {
  scancel --user=root 2>/dev/null || true
  pkill -x slurmd 2>/dev/null || true
  pkill -x slurmctld 2>/dev/null || true
  pkill -x munged 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
