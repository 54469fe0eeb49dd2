#pragma once
// The synthetic tasks a genome can be trained on (the MAD suite of Poli et al. 2024), by name, and
// language-model shards: their datasets. The kinds and their default sizes are core/task_kinds.hpp.
#include <string>
#include <vector>

#include "core/task_kinds.hpp"
#include "core/train_settings.hpp"
#include "train/task_dataset.hpp"

namespace star::train {

// The task's train and held-out sets, from disjoint seeds derived from config.seed.
struct TaskData {
  TokenDataset train, test;
};
TaskData make_task(const TaskConfig& config);

}  // namespace star::train
