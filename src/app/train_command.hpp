#pragma once
// `star train <config> --genome <text>`: trains one genome outside evolution (to scale up a
// winner, or train a baseline) at any width, saving weights and optimizer state as it goes
// (train_checkpoint.hpp) so a killed job resumes with --resume. Under mpirun every rank trains
// the same model data parallel. `star eval <config> --checkpoint <dir>` scores a saved model.
// With a [task] suite both work on one member, named by --task.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>

namespace star::app {

struct TrainOptions {
  std::string config_path;
  std::string genome;
  std::string task;           // the suite member to train on (required with [task] suite)
  std::string out_dir;        // default: <run directory>/train/<genome> (suite: .../train/<task>/<genome>)
  int64_t width = 0;          // 0: the configuration's [model] width
  int64_t heads = 0;          // 0: the configuration's [model] heads
  int64_t tokens = 0;         // 0: the configuration's [train] token_budget
  int64_t save_every = 200;   // steps between checkpoints
  bool resume = false;
};

struct EvalOptions {
  std::string config_path;
  std::string task;           // the suite member to score on (required with [task] suite)
  std::string checkpoint;
};

int run_train(const TrainOptions& options, int* argc, char*** argv);
int run_eval(const EvalOptions& options);

// `star train CONFIG --genome G ...` and `star eval CONFIG --checkpoint DIR ...`.
void add_train_commands(CLI::App& star, Subcommands& out);
}  // namespace star::app
