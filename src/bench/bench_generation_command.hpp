#pragma once
// star bench generation: one generation of a configuration's search, trained on this node's
// ranks (every rank of `mpirun -np K` on the GPU it would get in a search), timed and profiled.
// It prints each candidate's timeline (model build, warm-up, steady steps, evaluation), the
// generation's wall time, the tokens/s summed over candidates, the overhead per candidate, and
// on a CUDA build the GPU's busy fraction from the profiler: the union of every rank's kernel and
// copy intervals over the generation's wall time. Nothing is written; no run directory is used.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>

namespace star::bench {

struct BenchGenerationOptions {
  std::string config_path;
  int genomes = 0;         // candidates; 0: the configuration's [evolution] population
  int64_t tokens = 0;      // tokens per training; 0: the configuration's [train] token_budget
  std::string profile = "auto";  // auto: the busy fraction where the build can record kernels; off
};

int run_bench_generation(const BenchGenerationOptions& options, int* argc, char*** argv);

// `star bench generation CONFIG ...`, under `bench`.
void add_bench_generation_command(CLI::App& bench, app::Subcommands& out);
}  // namespace star::bench
