#include "cluster/work_queue.hpp"

#include <atomic>
#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "cluster/broadcast.hpp"
#include "cluster/eval_result_codec.hpp"
#include "core/exact_text.hpp"

namespace star::cluster {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRequestTag = 101;  // leader -> rank 0: result of its last piece (or none), wants the next
constexpr int kAssignTag = 102;   // rank 0 -> leader: the next piece (id -1 when there is none)

// A piece as one message: "<id>\n<hurdle points>\n<genome>", the points as "<count>" and then,
// per hurdle point, ";" and its rows, rows apart by "|", each row core::exact_list_text.
std::string points_text(const train::HurdlePoints& points) {
  std::string out = std::to_string(points.size());
  for (const auto& rows : points) {
    out += ';';
    for (size_t r = 0; r < rows.size(); ++r) out += (r > 0 ? "|" : "") + core::exact_list_text(rows[r]);
  }
  return out;
}
std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at = text.find(separator); at != std::string::npos; at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}
train::HurdlePoints points_from(const std::string& text) {
  const auto parts = split(text, ';');
  if (parts.size() != std::stoul(parts.at(0)) + 1) throw std::runtime_error("work queue: malformed hurdle points");
  train::HurdlePoints points(parts.size() - 1);
  for (size_t h = 1; h < parts.size(); ++h) {
    if (parts[h].empty()) continue;
    for (const auto& row : split(parts[h], '|')) {
      points[h - 1].emplace_back();
      if (!core::parse_exact_list(row, points[h - 1].back()))
        throw std::runtime_error("work queue: malformed hurdle points");
    }
  }
  return points;
}
std::string pack(const Work& w) { return std::to_string(w.id) + '\n' + points_text(w.hurdle_points) + '\n' + w.genome; }
Work unpack(const std::string& text) {
  const size_t first = text.find('\n'), second = first == std::string::npos ? first : text.find('\n', first + 1);
  if (second == std::string::npos) throw std::runtime_error("work queue: malformed assignment");
  return {std::stoi(text.substr(0, first)), text.substr(second + 1), points_from(text.substr(first + 1, second - first - 1))};
}

// Rank 0's side: the source behind one lock, shared by its own group and by the helper thread
// that serves the other groups, and the time each piece spent out.
struct Dispatcher {
  WorkSource* source = nullptr;
  StopCheck stopping;
  std::mutex mutex;
  std::map<int, Clock::time_point> out;  // pieces handed out and not yet back
  double busy_seconds = 0;
  std::atomic<bool> abandoned{false};  // rank 0's own evaluation threw: the helper stops serving

  Work take() {
    if (stopping && stopping()) return {};
    std::lock_guard<std::mutex> lock(mutex);
    Work w = source->next();
    if (w.id >= 0) out[w.id] = Clock::now();
    return w;
  }
  void store(const Work& w, const train::EvalResult& r) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = out.find(w.id);
    if (it == out.end()) throw std::runtime_error("work queue: unexpected result for piece " + std::to_string(w.id));
    busy_seconds += std::chrono::duration<double>(Clock::now() - it->second).count();
    out.erase(it);
    source->finished(w, r);
  }
};

// Serves the leaders of groups 1..G-1 until each has been told there is no more work. Polls with
// a short sleep rather than a blocking receive, which in Open MPI would spin a core that the
// training on this rank needs. Rank 0 remembers each group's piece: a leader sends back only
// its id with the result.
void serve_requests(const RankGroups& groups, Dispatcher& d) {
  int active = groups.group_count - 1;
  std::map<int, Work> held;  // leader rank -> its piece
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
    if (finished >= 0) {
      auto it = held.find(status.MPI_SOURCE);
      if (it == held.end() || it->second.id != finished)
        throw std::runtime_error("work queue: a result for piece " + std::to_string(finished) + " that was not handed out");
      d.store(it->second, result);
      held.erase(it);
    }
    const Work next = d.take();
    if (next.id < 0) --active;
    else held[status.MPI_SOURCE] = next;
    const std::string reply = pack(next);
    MPI_Send(reply.data(), static_cast<int>(reply.size()), MPI_CHAR, status.MPI_SOURCE, kAssignTag, groups.work_comm);
  }
}

// The piece this group works on next, agreed by all its ranks.
Work agree_on_work(const RankGroups& groups, const Work& at_leader) {
  std::vector<std::string> fields = {pack(at_leader)};
  broadcast_strings(fields, groups.group_comm);
  return unpack(fields.at(0));
}

// evaluate_all's source: items 0..n-1 in order, their results kept by index.
class IndexSource : public WorkSource {
 public:
  IndexSource(int n, train::HurdleBoard* board)
      : n_(n), results_(static_cast<size_t>(n)), done_(static_cast<size_t>(n), 0), board_(board) {}
  Work next() override {
    if (next_ >= n_) return {};
    return {next_++, "", board_ ? board_->handout() : train::HurdlePoints{}};
  }
  void finished(const Work& w, const train::EvalResult& r) override {
    if (w.id < 0 || w.id >= n_ || done_[static_cast<size_t>(w.id)])
      throw std::runtime_error("work queue: unexpected result for item " + std::to_string(w.id));
    results_[static_cast<size_t>(w.id)] = r;
    done_[static_cast<size_t>(w.id)] = 1;
    if (board_ && r.status != train::EvalStatus::interrupted) board_->record(r);
  }
  std::vector<train::EvalResult> take_results(const StopCheck& stopping) {
    for (int i = 0; i < n_; ++i) {
      if (done_[static_cast<size_t>(i)]) continue;
      if (!stopping || !stopping()) throw std::runtime_error("work queue: item " + std::to_string(i) + " has no result");
      results_[static_cast<size_t>(i)].status = train::EvalStatus::interrupted;
      results_[static_cast<size_t>(i)].message = "not started: the run was stopping";
    }
    return std::move(results_);
  }

 private:
  int n_ = 0, next_ = 0;
  std::vector<train::EvalResult> results_;
  std::vector<char> done_;
  train::HurdleBoard* board_;
};

}  // namespace

QueueTime serve_work(const RankGroups& groups, WorkSource* source, const EvaluateWork& evaluate,
                     const StopCheck& stopping) {
  QueueTime time;
  time.groups = groups.group_count;
  if (groups.world_rank == 0) {
    const auto start = Clock::now();
    Dispatcher d;
    d.source = source;
    d.stopping = stopping;
    std::thread helper;
    if (groups.group_count > 1) helper = std::thread([&] { serve_requests(groups, d); });
    try {
      for (Work w = agree_on_work(groups, d.take()); w.id >= 0; w = agree_on_work(groups, d.take()))
        d.store(w, evaluate(w));
    } catch (...) {
      // The caller aborts the job. The helper must be gone before `d`, which it reads, is: it
      // sees the flag within a millisecond (its receives only follow a probe that found a message).
      d.abandoned = true;
      if (helper.joinable()) helper.join();
      throw;
    }
    if (helper.joinable()) helper.join();
    time.busy_seconds = d.busy_seconds;
    time.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return time;
  }

  if (groups.leader()) {
    std::string message = encode(-1, train::EvalResult{});
    while (true) {
      MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, kRequestTag, groups.work_comm);
      MPI_Status status;
      MPI_Probe(0, kAssignTag, groups.work_comm, &status);
      int bytes = 0;
      MPI_Get_count(&status, MPI_CHAR, &bytes);
      std::string reply(static_cast<size_t>(bytes), '\0');
      MPI_Recv(reply.data(), bytes, MPI_CHAR, 0, kAssignTag, groups.work_comm, MPI_STATUS_IGNORE);
      const Work w = agree_on_work(groups, unpack(reply));
      if (w.id < 0) break;
      message = encode(w.id, evaluate(w));
    }
  } else {
    for (Work w = agree_on_work(groups, {}); w.id >= 0; w = agree_on_work(groups, {})) evaluate(w);
  }
  return time;
}

std::vector<train::EvalResult> evaluate_all(const RankGroups& groups, int n, const EvaluateItem& evaluate,
                                            const StopCheck& stopping, QueueTime* time, train::HurdleBoard* board) {
  IndexSource source(n, board);
  const auto t = serve_work(groups, &source, evaluate, stopping);
  if (groups.world_rank != 0) return {};
  if (time) *time += t;
  return source.take_results(stopping);
}

}  // namespace star::cluster
