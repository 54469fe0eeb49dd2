#pragma once
// `star evolve <config> [--resume]`: the MPI evolution run.
#include <string>

namespace star::app {

struct EvolveOptions {
  std::string config_path;
  bool resume = false;
  std::string run_dir;  // overrides [run] directory when not empty
};

// Runs on every rank of the job; returns the process exit code.
int run_evolve(const EvolveOptions& options, int* argc, char*** argv);

}  // namespace star::app
