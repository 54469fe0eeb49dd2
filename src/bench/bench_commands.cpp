#include "bench/bench_commands.hpp"

#include <CLI/CLI.hpp>

#include "bench/bench_evolve_command.hpp"
#include "bench/bench_generation_command.hpp"
#include "bench/bench_inference_command.hpp"
#include "bench/bench_kernels_command.hpp"
#include "bench/bench_train_command.hpp"

namespace star::bench {

void add_bench_commands(CLI::App& star, app::Subcommands& out) {
  auto* bench = star.add_subcommand("bench", "Benchmarks that print figures (generation: under mpirun)");
  bench->require_subcommand(1);
  add_bench_kernels_command(*bench, out);
  add_bench_evolve_command(*bench, out);
  add_bench_generation_command(*bench, out);
  add_bench_train_command(*bench, out);
  add_bench_inference_command(*bench, out);
}

}  // namespace star::bench
