#pragma once
// A trained (or partly trained) model of `star train`, as a directory:
//
//   state.toml               what was trained and how far: genome, width, heads, step, steps,
//                            seed, the configuration file, the task (a suite's member; absent
//                            otherwise), status, the loss curve ([step, loss]
//                            pairs), the held-out scores once finished, and `weights`: the
//                            folder of the weights that belong to this step
//   step_NNNNNNNN/model.pt   the weights: a LibTorch archive (torch::serialize::OutputArchive)
//                            of every parameter and buffer under its module path, readable with
//                            torch::load in C++ (torch.jit.load(...) in Python)
//   step_NNNNNNNN/optimizer.pt  the AdamW state (moments, step counts), a LibTorch archive
//
// A save writes a new step folder (each file with checked writes, fsync'd), then replaces
// state.toml atomically (temporary name, fsync, rename), then deletes the previous folder: whatever moment a job dies, state.toml names
// complete weights of exactly the step it says.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace star::app {

struct TrainState {
  std::string genome;
  int64_t width = 0, heads = 0;
  int64_t step = 0, steps = 0;  // steps done, and in all
  uint64_t seed = 0;
  std::string config;           // the configuration file it was trained with
  std::string task;             // the suite member it was trained on (--task); empty for a `kind` configuration
  std::string status = "training";  // training, ok, diverged, oom, failed
  double loss = 0, accuracy = 0;    // held-out scores once finished
  std::vector<std::pair<int64_t, double>> loss_curve;  // (step, training loss)
  std::string weights;              // folder of the weights, e.g. step_00000300
};

// Throws std::runtime_error naming the file for a missing or unreadable state.
TrainState read_train_state(const std::string& dir);
bool has_train_state(const std::string& dir);

// Writes the weights and optimizer state of state.step, then the state file naming them (and
// sets state.weights). Throws io::WriteError naming the file that could not be written.
void save_training(const std::string& dir, TrainState& state, torch::nn::Module& model,
                   torch::optim::Optimizer& optimizer);
// The state file alone (final scores of weights already saved).
void save_train_state(const std::string& dir, const TrainState& state);

// Onto `device`, where the model (and so the optimizer's moments) live.
void load_model(const std::string& dir, const TrainState& state, torch::nn::Module& model, torch::Device device);
void load_optimizer(const std::string& dir, const TrainState& state, torch::optim::Optimizer& optimizer,
                    torch::Device device);

}  // namespace star::app
