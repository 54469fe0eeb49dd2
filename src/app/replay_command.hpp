#pragma once
// `star replay <run dir>`: rebuilds a steady-state run from its event log alone and checks it
// against the run's checkpoint, record by record and bit for bit (the populations, their
// objective values, the generator's state, the hypervolumes). No MPI, no training.
#include "app/subcommand.hpp"
#include <string>

namespace star::app {

struct ReplayOptions {
  std::string run_dir;
  std::string out;  // also write the replayed history as a results file here
};

// 0: the replay equals the checkpoint; 1: it differs (the first difference on stderr); 2: bad
// input (not a steady-state run directory, no event log, a log of another configuration).
int run_replay(const ReplayOptions& options);

// `star replay RUN_DIR [--out FILE]`.
void add_replay_command(CLI::App& star, Subcommands& out);
}  // namespace star::app
