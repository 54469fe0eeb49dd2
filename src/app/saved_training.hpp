#pragma once
// One genome trained into a checkpoint folder (train_checkpoint.hpp): what `star train` does for
// one genome and `star retrain` for each genome of a front. Every rank of the reducer's group
// trains the same model data parallel; the root saves and prints. A training that a signal stops
// saves the steps done so far, so `resume` continues it exactly where it stopped.
#include <cstdint>
#include <functional>
#include <string>

#include <torch/torch.h>

#include "app/compute_setup.hpp"
#include "app/train_checkpoint.hpp"
#include "core/eval_result.hpp"
#include "genome/genome.hpp"
#include "io/config.hpp"
#include "train/gradient_reducer.hpp"
#include "train/tasks.hpp"

namespace star::app {

struct SavedTraining {
  // Every rank of the job trains with `reducer` (nullptr alone); the root writes and prints. A stop
  // signal (cluster/stop_request.hpp) ends the training after its current step.
  SavedTraining(const io::Config& config, const genome::Genome& genome, const train::TaskData& data,
                const ComputeSetup& compute, train::GradientReducer* reducer, bool root, std::string dir,
                int64_t save_every);

  const io::Config* config = nullptr;    // its one task (config.tasks), sizes and token budget are the training's
  const genome::Genome* genome = nullptr;
  const train::TaskData* data = nullptr;  // train: batches; test: what the final scores are measured on
  torch::Device device = torch::kCPU;
  train::GradientReducer* reducer = nullptr;  // every rank of the job; nullptr alone
  bool root = true;                           // this rank writes the folder and prints
  std::string dir;                            // the checkpoint folder
  int64_t save_every = 200;                   // steps between checkpoints
  std::function<bool()> should_stop;          // polled before every step
  std::string label;                          // starts each progress line
  std::string program = "star train";         // starts each error line
};

// What a saved training ended with: the result, unless a checkpoint could not be read or written.
struct SavedOutcome {
  train::EvalResult result;
  // The saved weights or moments of a resume could not be read: nothing was trained, and
  // state.toml still names the model it did.
  std::string restore_error;
  // A checkpoint (or the final state.toml) could not be written (a full disk, a quota): the
  // previous checkpoint and the state.toml naming it stand. Training went on unsaved, so that no
  // rank waited for another in a gradient sum; every rank of the job knows.
  std::string save_error;
};

// The state of a new training of `genome_text` on the configuration's one task, from the seed the
// search trains that genome with (so a retraining repeats the search's, only longer). `source`
// names the configuration it came from.
TrainState new_train_state(const io::Config& config, const std::string& genome_text, const std::string& source);

// The genome of `text`, checked against the configuration's search space at its own depth (a
// winner may be trained deeper or shallower than the search's genomes). Throws
// std::invalid_argument naming the first problem.
genome::Genome trainable_genome(const std::string& text, const io::Config& config);

// The number of optimizer steps `config`'s training takes (its token budget in whole batches).
int64_t training_steps(const io::Config& config);

// Trains (state.step > 0: continues from the weights saved in the folder) and, once done, writes
// the held-out scores into `state` and its state.toml. An interrupted training leaves status
// "training" and its last save in the folder. `state` names genome, sizes, seed, configuration
// and task; the caller fills them for a new training or reads them from the folder to resume.
SavedOutcome train_saved(const SavedTraining& job, TrainState& state);

// Creates `path` and the folders above it that are missing.
void make_directories(const std::string& path);

}  // namespace star::app
