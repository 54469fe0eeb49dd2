#pragma once
// Whether a task's sizes fit together, without building any data: each MAD generator's
// requirements on its vocabulary, length, motifs and noise, and the shards task's glob patterns.
// The generators (train/) check their configuration through it, and so does the configuration
// (io/) before any rank trains: the requirements are written here only.
#include "core/train_settings.hpp"

namespace star::train {

// Throws std::invalid_argument saying which size of which kind does not fit (e.g.
// "memorization: seq_len must be even, got 7"), or naming the known kinds for an unknown one.
// For "shards" only the patterns are checked here; the files are data/token_shard.hpp's.
void check_task_sizes(const TaskConfig& config);

}  // namespace star::train
