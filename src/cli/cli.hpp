#pragma once
// The `star` command line (src/cli/main.cpp runs it; a test executable may install test hooks
// first, e.g. app/evaluate_genome.hpp's set_training_hook, and then run it).

namespace star::cli {

// Parses the arguments and runs the command; returns the process's exit status.
int run_cli(int argc, char** argv);

}  // namespace star::cli
