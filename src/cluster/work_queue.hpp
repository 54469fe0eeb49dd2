#pragma once
// Dynamic work distribution over rank groups. Work is handed out one piece at a time: a group
// that finishes sends rank 0 its result and gets the next piece, so a slow genome never holds up
// the others while work is left. Rank 0 is a worker too: a helper thread on it answers the other
// groups while its own group trains. What the work is comes from a WorkSource on rank 0: a
// generation's genomes by index (evaluate_all), or candidates bred the moment a group asks (a
// steady-state search).
#include <functional>
#include <string>
#include <vector>

#include "core/eval_result.hpp"
#include "core/hurdles.hpp"
#include "cluster/mpi_world.hpp"

namespace star::cluster {

// A piece of work: its number, the genome when the groups do not already know it, and what the
// run's genomes scored at its hurdles when it was handed out (core/hurdles.hpp; empty: none).
struct Work {
  int id = -1;  // -1: there is no more work
  std::string genome;
  train::HurdlePoints hurdle_points;
};

// Rank 0's supply of work. The queue calls it under one lock, from rank 0's main thread and its
// helper thread: an implementation needs no locking of its own.
class WorkSource {
 public:
  virtual ~WorkSource() = default;
  // The next piece of work, or id -1 when there is none (then that group is done).
  virtual Work next() = 0;
  // A piece's result as its group leader saw it; `interrupted` when its training was stopped.
  virtual void finished(const Work& work, const train::EvalResult& result) = 0;
};

// Called on every rank of the group that takes the work (the group's ranks train together).
using EvaluateWork = std::function<train::EvalResult(const Work& work)>;
using EvaluateItem = std::function<train::EvalResult(const Work& item)>;  // item.id: its index

// Rank 0 asks it before handing out each piece: true once the run is stopping.
using StopCheck = std::function<bool()>;

// How busy the groups were, seen from rank 0: the seconds from handing a piece out to its result,
// summed over pieces, against the groups' time (group count x the queue's wall time).
struct QueueTime {
  double busy_seconds = 0;
  double wall_seconds = 0;
  int groups = 0;
  double idle_fraction() const { return wall_seconds > 0 ? 1.0 - busy_seconds / (groups * wall_seconds) : 0.0; }
  QueueTime& operator+=(const QueueTime& o) {
    busy_seconds += o.busy_seconds;
    wall_seconds += o.wall_seconds;
    groups = o.groups;
    return *this;
  }
};

// Collective over all ranks: serves `source` (rank 0's; ignored elsewhere) until it has no more
// work, or `stopping` says so, and every group has finished its piece. Returns the groups' time
// on rank 0.
QueueTime serve_work(const RankGroups& groups, WorkSource* source, const EvaluateWork& evaluate,
                     const StopCheck& stopping = {});

// Items 0..n-1, handed out in index order (the caller orders them, longest first); every item is
// evaluated by exactly one group. With a `board` (rank 0's), each item goes out with the board's
// points at that moment, and each result is recorded on it as it comes back. Returns every item's result (as its group leader saw it) on
// world rank 0, and an empty vector elsewhere. Once `stopping` says so, no more items are handed
// out: those never started come back with status `interrupted`. Adds the groups' time to `time`
// when given.
std::vector<train::EvalResult> evaluate_all(const RankGroups& groups, int n, const EvaluateItem& evaluate,
                                            const StopCheck& stopping = {}, QueueTime* time = nullptr,
                                            train::HurdleBoard* board = nullptr);

}  // namespace star::cluster
