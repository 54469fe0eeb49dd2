#include "cluster/stop_request.hpp"

#include <csignal>
#include <unistd.h>

namespace star::cluster {
namespace {

constexpr int kReportTag = 201;  // rank r -> rank 0: a signal reached me
constexpr int kStopTag = 202;    // rank 0 -> every rank: stop

volatile std::sig_atomic_t signals_received = 0;

extern "C" void on_stop_signal(int) {
  if (signals_received > 0) {
    // A second request: the user (or Slurm's KillWait) insists. Only async-signal-safe calls here.
    static const char message[] = "star: second stop signal, exiting at once with status 75 (resubmit)\n";
    const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    ::_exit(kResubmitExitStatus);
  }
  signals_received = 1;
}

}  // namespace

void install_stop_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking calls carry on; the flag is polled between steps
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGUSR1, &action, nullptr);
  // A log pipe that closes (a tee killed with the job step) must not end the search: output is
  // best effort, the results are in the journal and the checkpoint.
  std::signal(SIGPIPE, SIG_IGN);
}

bool stop_signal_received() { return signals_received > 0; }
void reset_stop_signal() { signals_received = 0; }

StopCoordinator::StopCoordinator(MPI_Comm world) {
  MPI_Comm_dup(world, &comm_);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

StopCoordinator::~StopCoordinator() {
  if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

bool StopCoordinator::poll() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopped_) return true;
  int flag = 0;
  if (rank_ == 0) {
    bool asked = stop_signal_received();
    if (!asked) {
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kReportTag, comm_, &flag, &status);
      if (flag) {
        int ignored = 0;
        MPI_Recv(&ignored, 1, MPI_INT, status.MPI_SOURCE, kReportTag, comm_, MPI_STATUS_IGNORE);
        asked = true;
      }
    }
    if (asked) {
      stopped_ = true;
      sends_.resize(static_cast<size_t>(size_ - 1));
      for (int r = 1; r < size_; ++r) MPI_Isend(&stop_, 1, MPI_INT, r, kStopTag, comm_, &sends_[r - 1]);
    }
    return stopped_;
  }
  if (stop_signal_received() && !reported_) {
    reported_ = true;
    sends_.resize(1);
    MPI_Isend(&report_, 1, MPI_INT, 0, kReportTag, comm_, &sends_[0]);
  }
  MPI_Iprobe(0, kStopTag, comm_, &flag, MPI_STATUS_IGNORE);
  if (flag) {
    int ignored = 0;
    MPI_Recv(&ignored, 1, MPI_INT, 0, kStopTag, comm_, MPI_STATUS_IGNORE);
    stopped_ = true;
  }
  return stopped_;
}

bool StopCoordinator::decided() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopped_;
}

bool StopCoordinator::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  int stop = rank_ == 0 && stopped_ ? 1 : 0;
  MPI_Bcast(&stop, 1, MPI_INT, 0, comm_);
  if (rank_ != 0 && stop && !stopped_) {
    MPI_Recv(&stop, 1, MPI_INT, 0, kStopTag, comm_, MPI_STATUS_IGNORE);
    stopped_ = true;
  }
  // Reports that rank 0 never needed (it had decided, or the run ended): receive what has come...
  MPI_Barrier(comm_);
  if (rank_ == 0) {
    for (int flag = 1; flag;) {
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kReportTag, comm_, &flag, &status);
      if (flag) {
        int ignored = 0;
        MPI_Recv(&ignored, 1, MPI_INT, status.MPI_SOURCE, kReportTag, comm_, MPI_STATUS_IGNORE);
      }
    }
  }
  // ...and let go of our own sends (a report rank 0 did not read is cancelled with the communicator).
  for (auto& request : sends_) {
    if (rank_ == 0) MPI_Wait(&request, MPI_STATUS_IGNORE);
    else MPI_Request_free(&request);
  }
  sends_.clear();
  return stop != 0;
}

}  // namespace star::cluster
