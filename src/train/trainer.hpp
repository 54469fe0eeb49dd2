#pragma once
// Trains one genome's model on a task for a token budget and scores it on held-out examples.
#include <functional>

#include <torch/torch.h>

#include "core/eval_result.hpp"
#include "core/model_config.hpp"
#include "core/train_settings.hpp"
#include "genome/genome.hpp"
#include "model/backbone.hpp"
#include "train/gradient_reducer.hpp"
#include "train/tasks.hpp"

namespace star::train {

struct TrainProgress {
  int64_t step = 0, steps = 0;
  double loss = 0;               // training loss of this step (whole group)
  double tokens_per_second = 0;  // since the start of training
};

// How a training queues its steps: replayed as one CUDA graph, eagerly by choice or
// circumstance (the CPU, a group of ranks, cuda_graphs = "off", too few steps), or eagerly
// because the capture failed (worth a line in a search's log: the genome trains slower).
struct StepNotice {
  enum class Mode { graph, eager, capture_failed };
  Mode mode = Mode::eager;
  std::string text;  // one line: how, and why where eager
};

struct TrainJob {
  const genome::Genome* genome = nullptr;
  model::ModelConfig model;
  TrainSettings settings;
  MetricSettings metrics;
  const TaskData* data = nullptr;
  torch::Device device = torch::kCPU;
  uint64_t seed = 0;                     // initial weights and batch order
  GradientReducer* reducer = nullptr;    // data parallel group; nullptr = this rank alone
  // Called every progress_every steps, once the step's loss is read: that is after the next
  // step is queued (the host does not wait for the GPU at every step), or at the end.
  std::function<void(const TrainProgress&)> on_progress;
  int64_t progress_every = 50;
  // Told once how the steps are queued (see StepNotice).
  std::function<void(const StepNotice&)> on_notice;
  // Called before each step is queued, e.g. to synchronise and time a stretch of steps (bench).
  std::function<void(int64_t step)> before_step;
  // Tests only: called before each micro-batch's forward pass with its rows, inside the step,
  // e.g. to inject an out-of-memory where a real one happens.
  std::function<void(int64_t rows)> before_micro_batch;
  // Continuing a saved training (star train --resume): the first step to run, and `restore`,
  // which loads the saved weights and optimizer state once both exist. Batches and the learning
  // rate continue exactly where the saved training stopped.
  int64_t start_step = 0;
  std::function<void(torch::nn::Module&, torch::optim::Optimizer&)> restore;
  // Called on every rank of the group every save_every steps (0: never), after the last step,
  // and when should_stop ends the training early (with the steps done so far).
  std::function<void(torch::nn::Module&, torch::optim::Optimizer&, int64_t steps_done)> on_save;
  int64_t save_every = 0;
  // Polled before every step (a signal asked the run to stop). The ranks of a group agree
  // through the reducer, so they all leave at the same step; the result is then `interrupted`.
  std::function<bool()> should_stop;
  // [train] hurdles (settings.hurdles): the training's loss is recorded at each (the mean over
  // the steps just before it) and this is asked whether the genome is behind there (`hurdle`:
  // its index in settings.hurdles; `so_far`: the result as it stands, parameters and cache
  // known). Yes stops the training there: it is scored as it is and ends `stopped` with the
  // hurdle's fraction as its fidelity. Unset: the losses are recorded and nothing stops.
  std::function<bool(size_t hurdle, double loss, const EvalResult& so_far)> behind_hurdle;
  // Time the model's inference on the device before training (train/inference_timing.hpp, under
  // `metrics`' conditions): the measured objectives, known at the hurdles too. A measurement
  // that fails (say, out of memory at the context) fails the evaluation.
  bool measure_inference = false;
};

// Never throws for a bad genome or a failed training: the result's status says what happened
// (ok, diverged, oom, failed, ...) so an evolution run goes on.
// Dynamic batch sizing: a training that runs out of memory starts again from the beginning with
// half the micro-batch (gradients accumulated to the same batch: the same training up to float
// rounding, the same as one started at that micro-batch), down to 1, and only then ends `oom`.
// The result records the micro-batch it trained at. In a group of ranks, one rank running out
// of memory ends every rank's training at the same step (the others are not left waiting in the
// gradient sum), the group starts again together, and each rank records `oom` when any did.
EvalResult train_and_evaluate(const TrainJob& job);

// Held-out loss and accuracy of a model over the scored positions of `test` (into `result`), in
// pieces of about kEvalTokens tokens (the activations of a whole long-sequence test set at once
// would not fit a GPU), with bf16 autocast when `bf16`; the loss runs on `kernels` (the model's
// [model] kernels, as in training).
constexpr int64_t kEvalTokens = 65536;
void evaluate_on(model::Backbone& net, const TokenDataset& test, const torch::Device& device, EvalResult& result,
                 bool bf16, model::KernelBackend kernels);

}  // namespace star::train
