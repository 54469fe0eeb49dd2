#pragma once
// MAD's in-context recall task (Poli et al. 2024): a sequence of key-value pairs drawn from a
// mapping that is new for every sequence; whenever a key comes again, the model must predict
// its value, which it can only know from context.
//
//   tokens:  k3 v9 k1 v12 k3 [v9] k5 v10 k1 [v12] ...    keys < V/2 <= values
//   targets are scored only at the bracketed positions (-100 elsewhere, ignored by the loss)
#include <cstdint>

#include <torch/torch.h>

#include "train/train_settings.hpp"

namespace star::train {

constexpr int64_t kIgnoreTarget = -100;

struct TokenDataset {
  torch::Tensor inputs;   // [N, T] int64
  torch::Tensor targets;  // [N, T] int64: next token where scored, kIgnoreTarget elsewhere
};

// `examples` sequences of `config.seq_len` tokens; a pure function of (config sizes, seed).
TokenDataset make_in_context_recall(const TaskConfig& config, int64_t examples, uint64_t seed);

// The task's train and held-out sets, from disjoint seeds derived from config.seed.
struct TaskData {
  TokenDataset train, test;
};
TaskData make_task(const TaskConfig& config);

}  // namespace star::train
