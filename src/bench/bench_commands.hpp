#pragma once
// `star bench ...`: the benchmarks that print figures, kept out of the production commands'
// folder (src/app); each benchmark's file adds its own subcommand under `bench`.
#include "app/subcommand.hpp"

namespace star::bench {

void add_bench_commands(CLI::App& star, app::Subcommands& out);

}  // namespace star::bench
