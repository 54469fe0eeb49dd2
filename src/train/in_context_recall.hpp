#pragma once
// MAD's in-context recall task (Poli et al. 2024): a sequence of key-value pairs drawn from a
// mapping that is new for every sequence; whenever a key comes again, the model must predict
// its value, which it can only know from context.
//
//   tokens:  k3 v9 k1 v12 k3 [v9] k5 v10 k1 [v12] ...    keys < K/2 <= values < K
//   targets are scored only at the bracketed positions (-100 elsewhere, ignored by the loss)
//
// The noisy variant (MAD's noisy in-context recall) replaces a pair, with probability
// frac_noise, by two tokens of a noise vocabulary (the last noise_vocab_size ids, K = V - noise)
// that the model must learn to ignore.
#include "core/train_settings.hpp"
#include "train/task_dataset.hpp"
#include "train/tasks.hpp"

namespace star::train {

// `examples` sequences of `config.seq_len` tokens; a pure function of (config sizes, seed).
TokenDataset make_in_context_recall(const TaskConfig& config, int64_t examples, uint64_t seed);

}  // namespace star::train
