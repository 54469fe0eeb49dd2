#pragma once
// Trains one genome's model on a task for a token budget and scores it on held-out examples.
#include <functional>

#include <torch/torch.h>

#include "genome/genome.hpp"
#include "model/model_config.hpp"
#include "train/eval_result.hpp"
#include "train/gradient_reducer.hpp"
#include "train/tasks.hpp"
#include "train/train_settings.hpp"

namespace star::train {

struct TrainProgress {
  int64_t step = 0, steps = 0;
  double loss = 0;               // training loss of this step (whole group)
  double tokens_per_second = 0;  // since the start of training
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
  std::function<void(const TrainProgress&)> on_progress;  // called every progress_every steps
  int64_t progress_every = 50;
};

// Never throws for a bad genome or a failed training: the result's status says what happened
// (ok, diverged, oom, failed) so an evolution run goes on.
EvalResult train_and_evaluate(const TrainJob& job);

}  // namespace star::train
