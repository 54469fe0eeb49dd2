#pragma once
// `star genome describe|sample|mutate`: look at genomes without running a search.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>

namespace star::app {

struct GenomeOptions {
  std::string config_path;  // optional: sizes and search space from a run configuration
  std::string genome;       // describe, mutate
  int count = 1;            // sample
  uint64_t seed = 0;        // sample, mutate
  double rate = 0.1;        // mutate
  int64_t seq_len = 0;      // describe: cache length (0: the configuration's task length)
};

int run_genome_describe(const GenomeOptions& options);
int run_genome_sample(const GenomeOptions& options);
int run_genome_mutate(const GenomeOptions& options);

// `star genome describe|sample|mutate ...`.
void add_genome_commands(CLI::App& star, Subcommands& out);
}  // namespace star::app
