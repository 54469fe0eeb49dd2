#pragma once
// How a candidate is trained and which synthetic task it is trained on. Plain data.
#include <cstdint>
#include <string>

namespace star::train {

struct TaskConfig {
  std::string kind = "in_context_recall";
  int64_t vocab_size = 16;       // MAD default: keys from the lower half, values from the upper half
  int64_t seq_len = 64;
  int64_t train_examples = 4096;
  int64_t test_examples = 256;
  uint64_t seed = 1234;          // the data set is a pure function of this seed and the sizes
};

struct TrainSettings {
  int64_t token_budget = 200000;  // tokens per genome (whole group), rounded down to whole steps
  int64_t batch_size = 32;        // sequences per optimizer step (whole group)
  double learning_rate = 8e-4;    // peak, as in the STAR paper
  double min_lr_ratio = 0.1;      // cosine decays to this fraction of the peak
  double warmup_fraction = 0.1;   // of the steps, linear from 0
  double weight_decay = 0.1;
  double beta1 = 0.9, beta2 = 0.95;
  double grad_clip = 1.0;         // max global gradient norm; 0 disables
  double divergence_loss = 1e3;   // a training loss above this (or NaN) stops the genome as diverged
};

}  // namespace star::train

namespace star::train {

// How the efficiency objectives are measured.
struct MetricSettings {
  int64_t cache_seq_len = 0;        // sequence length of the inference cache; 0 = the task's
  int64_t cache_bytes_per_value = 2;  // 2: bf16 inference
};

}  // namespace star::train
