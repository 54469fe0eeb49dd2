#include "train/tasks.hpp"

#include <stdexcept>

#include "core/task_sizes.hpp"
#include "train/compression.hpp"
#include "train/fuzzy_in_context_recall.hpp"
#include "train/in_context_recall.hpp"
#include "train/memorization.hpp"
#include "train/selective_copying.hpp"
#include "train/token_shards.hpp"

namespace star::train {
namespace {

using Generator = TokenDataset (*)(const TaskConfig&, int64_t, uint64_t);

Generator generator(const std::string& kind) {
  check_task_kind(kind);
  if (kind == "in_context_recall" || kind == "noisy_in_context_recall") return make_in_context_recall;
  if (kind == "fuzzy_in_context_recall") return make_fuzzy_in_context_recall;
  if (kind == "selective_copying") return make_selective_copying;
  if (kind == "memorization") return make_memorization;
  if (kind == "compression") return make_compression;
  throw std::logic_error("task kind \"" + kind + "\" has no generator");
}

}  // namespace

TaskData make_task(const TaskConfig& config) {
  check_task_sizes(config);
  if (config.kind == "shards") {
    // The validation windows are fixed by the task seed, so every genome is scored on the same ones.
    return {sample_windows(config.train_shards, config.train_examples, config.seq_len, config.vocab_size,
                           config.seed * 2 + 1),
            sample_windows(config.val_shards, config.test_examples, config.seq_len, config.vocab_size,
                           config.seed * 2 + 2)};
  }
  const Generator make = generator(config.kind);
  // Distinct streams for the train and test sets, so no test sequence is a training sequence
  // by construction of the generator.
  return {make(config, config.train_examples, config.seed * 2 + 1), make(config, config.test_examples, config.seed * 2 + 2)};
}

}  // namespace star::train
