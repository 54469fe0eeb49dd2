#pragma once
// MAD's selective copying: tokens_to_copy data tokens scattered among blanks, then a copy token,
// then tokens_to_copy blanks at whose positions the model must output the data tokens in order.
//
//   ids: data [0, V-2), blank V-2, copy V-1
//   x:  a _ _ b _ c _ _ [copy] _ _ _        y (at the last three positions):  a b c
#include "core/train_settings.hpp"
#include "train/task_dataset.hpp"

namespace star::train {

TokenDataset make_selective_copying(const TaskConfig& config, int64_t examples, uint64_t seed);

}  // namespace star::train
