#pragma once
// The generational search's driver (rank 0's side of `star evolve`): it asks the configuration's
// algorithm (genome_algorithm.hpp) for each generation's candidates, tells it their results,
// and keeps the run's history (what the checkpoint holds). No MPI, torch or HDF5: given the
// same history and results, it makes the same decisions.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "genome/random.hpp"
#include "io/config.hpp"
#include "io/run_history.hpp"
#include "search/genome_algorithm.hpp"

namespace star::search {

class GenerationalSearch {
 public:
  // `history` holds the complete generations of a run being resumed (empty for a new run).
  GenerationalSearch(const io::Config& config, io::RunHistory history);

  int next_generation() const { return static_cast<int>(history_.generations.size()); }
  bool finished() const { return next_generation() >= config_.evolution.generations; }

  // The next generation's candidates, as the algorithm asks: generation 0 the initial
  // population (seeds from the configuration, the rest sampled), later the current population's
  // offspring (NSGA-II: a population's worth; GA: all but elite_count) or moved fireflies (all
  // but the elite_count brightest).
  std::vector<std::string> draw_candidates();
  // The distinct candidates with no result in this run yet: only these are trained.
  std::vector<std::string> untrained(const std::vector<std::string>& candidates) const;
  // Records the results and tells the algorithm, which selects the survivors; records the
  // hypervolume and the search's wall time so far (`elapsed_seconds`) and appends the
  // generation to the history.
  const io::GenerationRecord& complete_generation(const std::vector<std::string>& candidates,
                                                  const std::map<std::string, train::EvalResult>& new_results,
                                                  double elapsed_seconds = 0);

  const io::RunHistory& history() const { return history_; }
  // How many candidates of the last completed generation reused an earlier result.
  int reused_in_last_generation() const { return reused_; }

 private:
  io::Config config_;
  io::RunHistory history_;
  genome::Rng rng_;
  std::unique_ptr<GenomeAlgorithm> algorithm_;  // its population mirrors the last generation's
  std::map<std::string, train::EvalResult> archive_;  // every genome evaluated in this run
  int reused_ = 0;
};

}  // namespace star::search
