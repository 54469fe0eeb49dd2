#pragma once
// `star simulate`: replays genome training costs on G groups as the work queue hands them out (no
// MPI, no training) and prints, for generational evolution (in-order and longest-first dispatch)
// and steady-state evolution, the makespan per generation, the groups' idle fraction and the
// weak-scaling efficiency.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>
#include <vector>

namespace star::app {

struct SimulateOptions {
  std::vector<int> groups = {1, 2, 8, 64, 1024};
  int per_group = 8;  // genomes per group: population = per_group x groups (weak scaling)
  // A file of costs (one number per line, e.g. seconds per genome from a results file),
  // "lognormal:SIGMA", "uniform:LO:HI", or "genomes:CONFIG.toml" (estimated training FLOPs of
  // genomes sampled from that configuration's search space). Costs are drawn with replacement.
  std::string costs = "lognormal:1";
  uint64_t seed = 1;
  int trials = 100;  // generations simulated per row (steady-state: their candidates in one run)
  double wide_above = 0;  // steady-state: a candidate above this x the median cost runs on several groups (0: never)
};

// Returns the exit status (2 for bad input).
int run_simulate(const SimulateOptions& options);

// `star simulate --groups ... --per-group ... --costs ...`.
void add_simulate_command(CLI::App& star, Subcommands& out);
}  // namespace star::app
