// The `star` command with one test hook installed (app/evaluate_genome.hpp's set_training_hook):
// every training of one rank group throws after its first step, so a test drives the real
// failure path (the genome is recorded as failed, the run goes on) through the real command.
//   star_with_failing_group <group> <star arguments...>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "cli/cli.hpp"
#include "app/evaluate_genome.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: star_with_failing_group <group> <star arguments...>\n");
    return 2;
  }
  const int failing = std::atoi(argv[1]);
  star::app::set_training_hook([failing](star::train::TrainJob& job, const star::app::EvaluationContext& context) {
    if (context.group != failing) return;
    job.progress_every = 1;
    job.on_progress = [failing](const star::train::TrainProgress&) {
      throw std::runtime_error("injected failure in group " + std::to_string(failing));
    };
  });
  argv[1] = argv[0];  // the command's own name, then star's arguments
  return star::cli::run_cli(argc - 1, argv + 1);
}
