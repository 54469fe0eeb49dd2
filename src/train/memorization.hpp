#pragma once
// MAD's memorization: one fixed key-to-value mapping for the whole task (drawn from the task
// seed, the same in the train and test sets), shown only through examples: the model must
// store it in its weights. Each pair is a key followed by an insert token, at which the model
// must output the key's value.
//
//   ids: keys [0, K/2), values [K/2, K), insert K = V - 1
//   x:  k4 [ins] k1 [ins] ...        y at each insert: value(k4), value(k1), ...
#include "core/train_settings.hpp"
#include "train/task_dataset.hpp"

namespace star::train {

// The task's fixed mapping (index = key, entry = value), a function of config.seed and sizes.
std::vector<int64_t> memorization_map(const TaskConfig& config);

TokenDataset make_memorization(const TaskConfig& config, int64_t examples, uint64_t seed);

}  // namespace star::train
