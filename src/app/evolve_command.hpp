#pragma once
// `star evolve <config> [--resume [auto]]`: the MPI evolution run.
#include "app/subcommand.hpp"
#include <string>

#include "app/run_directory.hpp"

namespace star::app {

struct EvolveOptions {
  std::string config_path;
  ResumeMode resume = ResumeMode::none;
  std::string run_dir;  // overrides [run] directory when not empty
};

// Runs on every rank of the job; returns the process exit status: 0 the search is complete,
// 75 (cluster::kResubmitExitStatus) stopped by SIGTERM or SIGUSR1 and should be resubmitted with
// `--resume auto`, 2 bad input, 3 a runtime failure.
int run_evolve(const EvolveOptions& options, int* argc, char*** argv);

// `star evolve CONFIG [--resume [auto]] [--run-dir DIR]`.
void add_evolve_command(CLI::App& star, Subcommands& out);
}  // namespace star::app
