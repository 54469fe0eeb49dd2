#include "dist/work_queue.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "dist/eval_result_codec.hpp"

namespace star::dist {
namespace {

constexpr int kRequestTag = 101;  // leader -> rank 0: result of its last item (or none), wants the next
constexpr int kAssignTag = 102;   // rank 0 -> leader: next item, or -1 when there is none

// Rank 0's side: the shared counter and the results, filled by its own group and by the helper
// thread that serves the other groups.
struct Dispatcher {
  int n = 0;
  std::atomic<int> next{0};
  std::mutex mutex;
  std::vector<train::EvalResult> results;
  std::vector<char> done;
  StopCheck stopping;
  std::atomic<bool> abandoned{false};  // rank 0's own evaluation threw: the helper stops serving

  int take() {
    if (stopping && stopping()) return -1;
    const int item = next.fetch_add(1);
    return item < n ? item : -1;
  }
  void store(int item, const train::EvalResult& r) {
    std::lock_guard<std::mutex> lock(mutex);
    if (item < 0 || item >= n || done[item]) throw std::runtime_error("work queue: unexpected result for item " + std::to_string(item));
    results[item] = r;
    done[item] = 1;
  }
};

// Serves the leaders of groups 1..G-1 until each has been told there is no more work. Polls with
// a short sleep rather than a blocking receive, which in Open MPI would spin a core that the
// training on this rank needs.
void serve_requests(const RankGroups& groups, Dispatcher& d) {
  int active = groups.group_count - 1;
  while (active > 0 && !d.abandoned) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, groups.work_comm, &flag, &status);
    if (!flag) {
      if (d.stopping) d.stopping();  // rank 0 hears of a signal even while its own group is idle
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    int bytes = 0;
    MPI_Get_count(&status, MPI_CHAR, &bytes);
    std::string message(static_cast<size_t>(bytes), '\0');
    MPI_Recv(message.data(), bytes, MPI_CHAR, status.MPI_SOURCE, kRequestTag, groups.work_comm, MPI_STATUS_IGNORE);
    train::EvalResult result;
    const int finished = decode(message, result);
    if (finished >= 0) d.store(finished, result);
    int item = d.take();
    if (item < 0) --active;
    MPI_Send(&item, 1, MPI_INT, status.MPI_SOURCE, kAssignTag, groups.work_comm);
  }
}

// The item this group works on next, agreed by all its ranks.
int agree_on_item(const RankGroups& groups, int item_at_leader) {
  int item = item_at_leader;
  MPI_Bcast(&item, 1, MPI_INT, 0, groups.group_comm);
  return item;
}

}  // namespace

std::vector<train::EvalResult> evaluate_all(const RankGroups& groups, int n, const EvaluateItem& evaluate,
                                            const StopCheck& stopping) {
  if (groups.world_rank == 0) {
    Dispatcher d;
    d.n = n;
    d.stopping = stopping;
    d.results.resize(n);
    d.done.assign(n, 0);
    std::thread helper;
    if (groups.group_count > 1) helper = std::thread([&] { serve_requests(groups, d); });
    try {
      for (int item = agree_on_item(groups, d.take()); item >= 0; item = agree_on_item(groups, d.take()))
        d.store(item, evaluate(item));
    } catch (...) {
      // The caller aborts the job. The helper must be gone before `d`, which it reads, is: it
      // sees the flag within a millisecond (its receives only follow a probe that found a message).
      d.abandoned = true;
      if (helper.joinable()) helper.join();
      throw;
    }
    if (helper.joinable()) helper.join();
    for (int i = 0; i < n; ++i) {
      if (d.done[i]) continue;
      if (!stopping || !stopping()) throw std::runtime_error("work queue: item " + std::to_string(i) + " has no result");
      d.results[i].status = train::EvalStatus::interrupted;
      d.results[i].message = "not started: the run was stopping";
    }
    return std::move(d.results);
  }

  if (groups.leader()) {
    std::string message = encode(-1, train::EvalResult{});
    while (true) {
      MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, kRequestTag, groups.work_comm);
      int item = -1;
      MPI_Recv(&item, 1, MPI_INT, 0, kAssignTag, groups.work_comm, MPI_STATUS_IGNORE);
      if (agree_on_item(groups, item) < 0) break;
      message = encode(item, evaluate(item));
    }
  } else {
    for (int item = agree_on_item(groups, -1); item >= 0; item = agree_on_item(groups, -1)) evaluate(item);
  }
  return {};
}

}  // namespace star::dist
