#pragma once
// Windows of language-model token shards (data/token_shard.hpp) as a task's data set.
#include <cstdint>
#include <string>

#include "data/token_shard.hpp"
#include "train/task_dataset.hpp"

namespace star::train {

// `windows` windows of seq_len + 1 consecutive tokens from the shards matching `pattern`, at
// positions drawn from `seed` (a shard in proportion to its tokens, then an offset in it):
// inputs are the first seq_len tokens, targets the next token at every position. Throws
// DataError when no shard holds a whole window, or a drawn token is not below vocab_size.
TokenDataset sample_windows(const std::string& pattern, int64_t windows, int64_t seq_len, int64_t vocab_size,
                            uint64_t seed);

}  // namespace star::train
