#pragma once
// One genome as `star train` trains it, and a model it saved: the configuration narrowed to one
// task with the command line's sizes (train), and the saved weights loaded onto the
// configuration's device (eval, generate).
#include <cstdint>
#include <string>

#include "app/compute_setup.hpp"
#include "app/train_checkpoint.hpp"
#include "genome/genome.hpp"
#include "io/config.hpp"
#include "model/backbone.hpp"

namespace star::app {

// The configuration with the command line's sizes and task, and the genome checked against it (any
// depth).
struct TrainSetup {
  io::Config config;
  genome::Genome genome;
};

// `task`: the suite member (empty for a `kind` configuration); width, heads, tokens: 0 keeps the
// configuration's. Throws for a bad configuration, task, size or genome, naming it.
TrainSetup prepare_training(const std::string& config_path, const std::string& task, const std::string& text,
                            int64_t width, int64_t heads, int64_t tokens);

// The suite member the configuration now trains on; empty for a `kind` configuration.
std::string suite_member(const io::Config& config);

// A saved model belongs to the task it was trained on (its vocabulary and data): throws
// std::invalid_argument when `state` was trained on another.
void check_task(const std::string& dir, const TrainState& state, const io::Config& config);

struct SavedModel {
  TrainState state;
  TrainSetup setup;
  ComputeSetup compute;
  model::Backbone net{nullptr};
};

// The model `star train` saved in `checkpoint`, for `config_path`'s task, on its device. Throws
// naming the problem (no state, no weights yet, another task, unreadable weights).
SavedModel load_saved_model(const std::string& config_path, const std::string& task, const std::string& checkpoint);

}  // namespace star::app
