#pragma once
// Checks of command-line values that CLI11 lacks, shared by the subcommands' files.
#include <CLI/CLI.hpp>

namespace star::app {

// A number in [lo, hi]. CLI::Range lets NaN through (every comparison with it is false).
CLI::Validator number_in(double lo, double hi);

}  // namespace star::app
