#pragma once
// The `star` command line (src/app/main.cpp runs it; a test executable may install test hooks
// first, e.g. evaluate_genome.hpp's set_training_hook, and then run it).

namespace star::app {

// Parses the arguments and runs the command; returns the process's exit status.
int run_cli(int argc, char** argv);

}  // namespace star::app
