#pragma once
// `star retrain <results.h5>`: the STAR protocol after a search. The best genomes of the search's
// final front (by front, then held-out loss) and the baselines are trained again, each for
// several times the search's token budget, and scored on held-out text
// (ideally a test split that no search selected on: `star data encode-bytes --test-fraction`).
// Each genome trains into a checkpoint folder (train_checkpoint.hpp) and every finished genome
// is written to <out>/retrain.h5 (io/retrain_file.hpp) at once, so a job that is killed or
// stopped by a signal continues with --resume, losing nothing it finished. Under mpirun every
// rank trains each genome together, data parallel, as in `star train`. With --seeds N each genome
// trains N times, from the seed `star train` would use and N - 1 derived from it: one training's
// held-out loss depends on its initial weights by up to 0.15 nats (README "Training parity"),
// more than the differences between genomes a search is judged on.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>
#include <vector>

namespace star::app {

struct RetrainOptions {
  std::string results;                 // a search's results.h5, or its run directory
  int top = 8;                         // genomes of the final front (then of the next fronts)
  int seeds = 1;                       // trainings of each genome, each from its own initial weights and batches
  std::vector<std::string> baselines;  // NAME=GENOME (or GENOME); default: [evolution] initial_genomes
  double budget_factor = 4;            // times the search's [train] token_budget
  std::string heldout;                 // glob of held-out shards; default: the task's val_shards
  int64_t heldout_windows = 0;         // 0: the task's test_examples
  std::string task;                    // the suite member to train on (required with [task] suite)
  std::string out_dir;                 // default: <run dir>/retrain
  int64_t save_every = 200;            // steps between checkpoints of each genome
  bool resume = false;                 // continue <out>/retrain.h5 (a new one when there is none)
};

// Returns the exit status: 0 done, 2 bad input, 75 stopped by a signal (resubmit with --resume).
int run_retrain(const RetrainOptions& options, int* argc, char*** argv);

// `star retrain RESULTS ...`.
void add_retrain_command(CLI::App& star, Subcommands& out);
}  // namespace star::app
