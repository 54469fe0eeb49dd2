#pragma once
// `star moo`: NSGA-II on a standard test problem, generational or asynchronous steady-state,
// printing the final front as CSV and its hypervolume, to check the evolution engine against
// known answers.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>

namespace star::app {

struct MooOptions {
  std::string problem = "zdt1";
  int population = 100;
  int generations = 200;
  uint64_t seed = 1;
  std::string mode = "generational";  // or "steady_state": no generation barrier
  int workers = 8;                    // steady_state: evaluations in flight
};

int run_moo(const MooOptions& options);

// `star moo --problem P ...`.
void add_moo_command(CLI::App& star, Subcommands& out);
}  // namespace star::app
