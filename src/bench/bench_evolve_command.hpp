#pragma once
// star bench evolve: the time of one generation's selection and variation on rank 0, with no
// training, for populations of genomes of 48 LIVs with 3 objectives.
#include "app/subcommand.hpp"
#include <vector>

namespace star::bench {

struct BenchEvolveOptions {
  std::vector<int> sizes = {16, 256, 4096, 65536};
  int quadratic_max = 4096;  // Deb's quadratic sort is timed beside the sweep up to this size
  int firefly_max = 4096;    // the firefly move is O(N^2): skipped above this size
};

int run_bench_evolve(const BenchEvolveOptions& options);

// `star bench evolve ...`, under `bench`.
void add_bench_evolve_command(CLI::App& bench, app::Subcommands& out);
}  // namespace star::bench
