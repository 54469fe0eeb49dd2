#pragma once
// MAD's fuzzy in-context recall: in-context recall where keys and values are motifs of 1 to
// k_motif_size (v_motif_size) tokens with no separator between them, so the model must also
// work out where a key ends. Every value of a key the sequence showed before is scored, token
// by token. One probe pair is placed early in the sequence and repeated at its end, so every
// sequence has something to recall; sequences are left-padded to seq_len with a pad token.
//
//   ids: keys [0, K/2), values [K/2, K), pad K = V - 1
#include "core/train_settings.hpp"
#include "train/task_dataset.hpp"

namespace star::train {

TokenDataset make_fuzzy_in_context_recall(const TaskConfig& config, int64_t examples, uint64_t seed);

}  // namespace star::train
