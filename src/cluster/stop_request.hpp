#pragma once
// Stopping a run cleanly before its wall time. Slurm sends SIGTERM (or SIGUSR1 with
// `--signal`) to some or all processes of a job: to the ranks, or only to mpirun, which forwards
// it to the ranks. Whichever rank sees the signal, rank 0 decides and tells every rank, so all
// stop together: each group finishes its current training step, the interrupted genomes are not
// recorded (they are trained again on resume), finished ones are already in the journal, and
// every rank exits with kResubmitExitStatus. A second signal to a process ends it at once
// (with the same status: nothing finished is lost, the journal is on disk).
#include <mutex>
#include <vector>

#include <mpi.h>

namespace star::cluster {

constexpr int kResubmitExitStatus = 75;  // EX_TEMPFAIL from <sysexits.h>: "resubmit me"

// SIGTERM and SIGUSR1: the first sets this process's flag, the second calls _exit(75). SIGPIPE
// is ignored.
void install_stop_signal_handlers();
bool stop_signal_received();
// Tests: forget that a signal was received.
void reset_stop_signal();

class StopCoordinator {
 public:
  // Collective over `world` (duplicates it: its messages never meet the run's others).
  explicit StopCoordinator(MPI_Comm world);
  ~StopCoordinator();
  StopCoordinator(const StopCoordinator&) = delete;
  StopCoordinator& operator=(const StopCoordinator&) = delete;

  // Thread-safe and cheap (an MPI_Iprobe or two): poll it between training steps and while
  // waiting. Forwards this rank's signal to rank 0; on rank 0 decides; returns true once rank 0
  // has decided that the run stops (on rank 0: at once; elsewhere: when its message arrives).
  bool poll();
  // Rank 0 only, no MPI: whether the stop has been decided.
  bool decided() const;
  // Collective at the end of the run: every rank learns whether rank 0 decided to stop, and the
  // stop messages still in flight are received, so no message outlives MPI_Finalize.
  bool finish();

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1;
  mutable std::mutex mutex_;
  bool reported_ = false;  // this rank told rank 0 of its signal
  bool stopped_ = false;   // rank 0's decision is known here
  int report_ = 1, stop_ = 1;  // message payloads (must outlive the sends)
  std::vector<MPI_Request> sends_;
};

}  // namespace star::cluster
