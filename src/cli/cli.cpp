// The `star` command line: the list of subcommands. Each adds itself (its options and checks) in
// its own file, the production commands in src/app, the benchmarks in src/bench.
#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/check_command.hpp"
#include "app/data_command.hpp"
#include "app/evolve_command.hpp"
#include "app/generate_command.hpp"
#include "app/genome_command.hpp"
#include "app/moo_command.hpp"
#include "app/replay_command.hpp"
#include "app/retrain_command.hpp"
#include "app/simulate_command.hpp"
#include "app/subcommand.hpp"
#include "app/train_command.hpp"
#include "bench/bench_commands.hpp"
#include "genome/excerpt.hpp"

namespace star::cli {

int run_cli(int argc, char** argv) {
  CLI::App star{"star: Synthesis of Tailored Architectures (STAR) on MPI and GPUs"};
  star.require_subcommand(1);
  app::Subcommands commands;
  app::add_evolve_command(star, commands);
  app::add_replay_command(star, commands);
  app::add_check_command(star, commands);
  app::add_genome_commands(star, commands);
  app::add_train_commands(star, commands);
  app::add_generate_command(star, commands);
  app::add_retrain_command(star, commands);
  app::add_data_commands(star, commands);
  app::add_moo_command(star, commands);
  app::add_simulate_command(star, commands);
  bench::add_bench_commands(star, commands);

  // Every argument error is one line and exit status 2, like any other bad input (CLI11's own
  // statuses are 100 and up); --help still prints the usage and exits 0.
  try {
    star.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return star.exit(e);
    std::fprintf(stderr, "star: %s (star --help lists the commands and options)\n", excerpt(e.what(), 300).c_str());
    return 2;
  }
  // Under srun, mpirun or a pipe stdout is not a terminal: without this, progress would reach the
  // job log in blocks, long after it happened.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  for (const auto& command : commands)
    if (*command.cli) return command.run(&argc, &argv);
  return 1;
}

}  // namespace star::cli
