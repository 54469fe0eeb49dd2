#pragma once
// `star check <config>`: reads and checks a run configuration without starting MPI or touching
// a GPU, so a job script can reject bad input before any rank starts.
#include "app/subcommand.hpp"
#include <string>

namespace star::app {

struct CheckOptions {
  std::string config_path;
  std::string run_dir;         // overrides [run] directory when not empty
  bool print_run_dir = false;  // print only the run directory (for scripts)
  bool explain = false;        // print the configuration reference (io/config_schema.hpp) instead
};

// Exit code 0 when the configuration is good, 2 (with the problem on stderr) when not. With
// explain: prints the configuration reference, and checks the configuration if one is given.
int run_check(const CheckOptions& options);

// `star check [CONFIG] [--explain] [--run-dir DIR] [--print-run-dir]`.
void add_check_command(CLI::App& star, Subcommands& out);
}  // namespace star::app
