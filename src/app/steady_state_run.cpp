#include "app/steady_state_run.hpp"

#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>

#include "app/report.hpp"
#include "cluster/work_queue.hpp"
#include "core/hurdles.hpp"
#include "io/atomic_file.hpp"
#include "io/event_log.hpp"
#include "io/results_file.hpp"
#include "search/steady_state_search.hpp"

namespace star::app {
namespace {

using Clock = std::chrono::steady_clock;

// Rank 0's work: candidates that were out when the run stopped first, then new ones.
class SteadyStateSource : public cluster::WorkSource {
 public:
  SteadyStateSource(const io::Config& config, search::SteadyStateSearch& search, io::EventLogWriter& log,
                    std::deque<cluster::Work> again)
      : config_(config),
        search_(search),
        log_(log),
        again_(std::move(again)),
        hurdles_(hurdle_board(config, search.history())) {  // the checkpoint's generations' points
    const auto& records = search_.history().generations;
    elapsed_before_ = records.empty() ? 0.0 : records.back().elapsed_seconds;
  }

  cluster::Work next() override {
    if (!again_.empty()) {
      auto w = again_.front();
      again_.pop_front();
      w.hurdle_points = hurdles_.handout();
      return w;
    }
    if (!search_.can_hand_out()) return {};
    cluster::Work w{static_cast<int>(search_.handed_out()), search_.hand_out(), hurdles_.handout()};
    log_.append({io::SteadyEvent::Kind::handout, w.id, w.genome, search_.rng_fingerprint(), {}});
    return w;
  }

  void finished(const cluster::Work& w, const train::EvalResult& result) override {
    if (result.status == train::EvalStatus::interrupted) return;  // out still: trained again on resume
    log_.append({io::SteadyEvent::Kind::result, w.id, w.genome, "", result});
    hurdles_.record(result);
    const auto now = Clock::now();
    const auto* record = search_.receive(w.id, w.genome, result,
                                         elapsed_before_ + std::chrono::duration<double>(now - start_).count());
    if (!record) return;
    io::write_results(io::results_path(config_.run.directory), search_.history());
    print_generation(stdout, *record, config_.evolution.generations, config_.evolution.objectives,
                     search_.history().hypervolume_reference, config_.evolution.population, 0,
                     std::chrono::duration<double>(now - last_record_).count());
    last_record_ = now;
  }

 private:
  const io::Config& config_;
  search::SteadyStateSearch& search_;
  io::EventLogWriter& log_;
  std::deque<cluster::Work> again_;
  Clock::time_point start_ = Clock::now(), last_record_ = start_;
  double elapsed_before_ = 0;  // the search's wall time before this piece of it
  train::HurdleBoard hurdles_;  // [train] hurdles: every loss there so far
};

// The journal file a group leader writes a candidate's result to: one per `population` hand-outs.
int journal_generation(const io::Config& config, int seq) { return seq / config.evolution.population; }

// Rank 0 before the first hand-out: the search as the event log leaves it, the log made whole
// again, the results groups journaled after rank 0's last event entered, and what was out.
std::deque<cluster::Work> resume_search(const io::Config& config, const io::RunHistory& checkpoint,
                                     search::SteadyStateSearch& search, io::EventLogWriter& log) {
  const std::string& dir = config.run.directory;
  if (!io::has_event_log(dir)) return {};
  const auto events = io::read_event_log(dir);
  auto out = search.replay(events.events, "cannot resume " + dir);
  search.restore_elapsed_seconds(checkpoint);
  if (events.unread_lines > 0) {
    std::string intact;
    for (const auto& e : events.events) intact += io::format_event_line(e);
    io::write_file_atomically(io::event_log_path(dir), intact);
    std::printf("note: %s: %d damaged or torn line%s at the end dropped\n", io::event_log_path(dir).c_str(),
                events.unread_lines, events.unread_lines == 1 ? "" : "s");
  }
  int recovered = 0;
  std::map<int, std::vector<io::JournalRecord>> journals;  // by journal generation, read once
  std::deque<cluster::Work> again;
  for (const auto& [seq, genome] : out) {
    const int g = journal_generation(config, seq);
    if (!journals.count(g)) journals[g] = io::read_journal(dir, g).records;
    auto& records = journals[g];
    auto it = records.begin();
    while (it != records.end() && it->genome != genome) ++it;
    if (it == records.end()) {
      again.push_back({seq, genome, {}});
      continue;
    }
    log.append({io::SteadyEvent::Kind::result, seq, genome, "", it->result});
    search.receive(seq, genome, it->result);
    records.erase(it);  // a genome out twice takes one record each
    ++recovered;
  }
  if (!search.history().generations.empty()) io::write_results(io::results_path(dir), search.history());
  std::printf("resuming %s: %zu events replayed, %lld of %lld results in, %d found in the group journals, %zu "
              "candidates to train again\n",
              io::event_log_path(dir).c_str(), events.events.size(), search.received(), search.budget(), recovered,
              again.size());
  return again;
}

}  // namespace

int run_steady_state(const io::Config& config, const io::RunHistory& checkpoint, const cluster::RankGroups& groups,
                     const EvaluationContext& eval, cluster::StopCoordinator& stop, io::JournalWriter* journal) {
  auto evaluate = [&](const cluster::Work& w) {
    auto result = evaluate_genome(w.genome, eval, w.hurdle_points);
    if (journal && result.status != train::EvalStatus::interrupted)
      journal->append({journal_generation(config, w.id), w.genome, result});
    return result;
  };
  auto stopping = [&] { return stop.poll(); };
  if (groups.world_rank != 0) {
    stop.poll();  // a rank that gets no work reports its signal here
    cluster::serve_work(groups, nullptr, evaluate, stopping);
    return 0;
  }
  search::SteadyStateSearch search(config);
  io::EventLogWriter log(config.run.directory);
  SteadyStateSource source(config, search, log, resume_search(config, checkpoint, search, log));
  std::fflush(stdout);
  const auto time = cluster::serve_work(groups, &source, evaluate, stopping);
  print_queue_time(stdout, time);
  const std::string results = io::results_path(config.run.directory);
  if (search.finished()) {
    std::printf("search complete: %lld evaluations, steady-state, in %s\n", search.received(), results.c_str());
    return 0;
  }
  std::printf("stopped by a signal: %lld of %lld evaluations in %s; exit status %d means resubmit: run `star evolve "
              "%s --resume auto` to continue\n",
              search.received(), search.budget(), io::event_log_path(config.run.directory).c_str(),
              cluster::kResubmitExitStatus, config.source.c_str());
  return cluster::kResubmitExitStatus;
}

}  // namespace star::app
