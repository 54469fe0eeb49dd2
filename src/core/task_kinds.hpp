#pragma once
// The task kinds a configuration may name and their default sizes: plain data, read by the
// configuration's schema and checks (io) and by the task builders (train/tasks.hpp) alike.
#include <string>
#include <vector>

#include "core/train_settings.hpp"

namespace star::train {

// in_context_recall, noisy_in_context_recall, fuzzy_in_context_recall, selective_copying,
// memorization, compression.
const std::vector<std::string>& task_kinds();

// Throws std::invalid_argument naming the MAD kinds unless `kind` is one of them.
void check_task_kind(const std::string& kind);

// Every kind a configuration may name: the MAD kinds and "shards" (windows of language-model
// token shards, train/token_shards.hpp; quality is the validation loss).
std::vector<std::string> all_task_kinds();

// The task's sizes in the MAD paper's baseline setting (vocabulary, length, examples, noise,
// motifs, tokens to copy), with `kind` set. Throws std::invalid_argument for an unknown kind.
TaskConfig mad_baseline(const std::string& kind);

// mad_baseline for a MAD kind; for "shards", byte-level defaults (vocabulary 256, length 256).
TaskConfig default_task(const std::string& kind);

}  // namespace star::train
