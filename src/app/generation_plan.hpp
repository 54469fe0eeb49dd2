#pragma once
// What a generation still has to train: its untrained candidates less those whose result the
// journal already holds (a run stopped or killed in the middle of this generation), handed out
// longest first. No MPI, no torch.
#include <map>
#include <string>
#include <vector>

#include "core/eval_result.hpp"
#include "genome/genome.hpp"
#include "io/config.hpp"

namespace star::app {

struct GenerationPlan {
  std::map<std::string, train::EvalResult> replayed;  // results taken from the journal
  std::vector<std::string> to_train;                  // the rest, longest first
  int ignored_records = 0;  // journal lines of this generation that were torn, damaged or not candidates
};

// `untrained`: the generation's distinct candidates with no result in the checkpoint. Only
// journal records of `generation` for one of these genomes are replayed.
GenerationPlan plan_generation(const io::Config& config, int generation, const std::vector<std::string>& untrained);

// A genome's estimated training FLOPs (model/cost_estimate.hpp) summed over the configuration's
// tasks: each at its own length and vocabulary, for the whole token budget.
double estimated_training_flops(const genome::Genome& genome, const io::Config& config);

// Genomes sorted by estimated training FLOPs, largest first (ties keep their order).
std::vector<std::string> longest_first(const std::vector<std::string>& genomes, const io::Config& config);

}  // namespace star::app
