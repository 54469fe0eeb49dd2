#pragma once
// Rank 0's side of a steady-state run ([evolution] mode = "steady_state"): no generation barrier.
// A group that finishes gets a new candidate at once, bred from the population as it stands; each
// result enters the population by NSGA-II's survival (the population and the newcomer, less the
// worst by rank and crowding), with the population's size and elitism. The budget is population x
// generations candidates, the first population of them the initial genomes (seeds, then
// samples). No MPI and no torch: given the same sequence of hand-outs and results, it makes the
// same decisions, bit for bit. That sequence depends on timing, so the driver writes it to the
// event log (io/event_log.hpp), from which a resume or `star replay` rebuilds the search.
//
// The history it keeps has one record per `population` results, a "generation" of the results
// file: the results that arrived in it, the population after the last of them, the generator's
// state and the hypervolume. Reports and retraining read it as they read a generational run's.
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "genome/random.hpp"
#include "io/config.hpp"
#include "io/event_log.hpp"
#include "io/run_history.hpp"

namespace star::search {

// An event log that this configuration cannot continue (bad input: exit 2).
struct EventLogMismatch : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class SteadyStateSearch {
 public:
  explicit SteadyStateSearch(const io::Config& config);

  long long budget() const { return budget_; }
  long long handed_out() const { return handed_out_; }
  long long received() const { return received_; }
  bool can_hand_out() const { return handed_out_ < budget_; }
  // Every candidate's result has entered the population.
  bool finished() const { return received_ >= budget_; }

  // The next candidate: while the first population is being handed out, its next genome; then
  // one child of two tournament winners of the population as it stands (crossover, mutation,
  // repair), drawn again while it equals a genome already evaluated or in flight (up to 20
  // times); a random genome while the population is still empty. Throws std::logic_error once
  // the budget is handed out.
  std::string hand_out();
  // The result of hand-out `seq` (never `interrupted`): it enters the population. Returns the
  // record when this result completes one (every `population` results), else null; the record
  // takes `elapsed_seconds`, the search's wall time so far.
  const io::GenerationRecord* receive(int seq, const std::string& genome, const train::EvalResult& result,
                                      double elapsed_seconds = 0);
  // Each record's elapsed_seconds as `checkpoint` has it; later records (replayed past the
  // checkpoint) take its last. A replay cannot know the times, the checkpoint does.
  void restore_elapsed_seconds(const io::RunHistory& checkpoint);

  // Applies a run's logged events in order (to a new search: a resume, `star replay`; a later
  // call continues where the last one ended): every hand-out must draw the genome and generator
  // state the log holds, every result answer one. Returns the candidates handed out without a
  // result yet, by sequence number. Throws
  // EventLogMismatch naming `where` when the log belongs to another configuration or build.
  std::map<int, std::string> replay(const std::vector<io::SteadyEvent>& events, const std::string& where);

  // A short fingerprint of the generator's state (FNV-1a of its text), journaled with each
  // hand-out so a replay can tell that it draws the same numbers.
  std::string rng_fingerprint() const;
  const std::vector<io::Individual>& population() const { return population_; }
  const io::RunHistory& history() const { return history_; }

 private:
  std::string breed();
  bool is_out(const std::string& genome) const;

  io::Config config_;
  io::RunHistory history_;
  genome::Rng rng_;
  std::vector<std::string> initial_;
  std::vector<io::Individual> population_;  // ranked (front_rank, crowding) after every result
  std::vector<io::Individual> arrived_;     // the results of the record being filled
  std::map<int, std::string> out_;          // hand-outs without a result yet: seq -> genome
  std::set<std::string> evaluated_;
  long long budget_ = 0, handed_out_ = 0, received_ = 0;
};

}  // namespace star::search
