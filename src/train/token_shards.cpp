#include "train/token_shards.hpp"

#include <algorithm>
#include <random>

namespace star::train {

TokenDataset sample_windows(const std::string& pattern, int64_t windows, int64_t seq_len, int64_t vocab_size,
                            uint64_t seed) {
  const auto shards = open_shards(pattern, seq_len);
  std::vector<double> weights;  // windows that start in each shard
  for (const auto& shard : shards) weights.push_back(static_cast<double>(std::max<int64_t>(0, shard->size() - seq_len)));
  std::discrete_distribution<size_t> pick_shard(weights.begin(), weights.end());
  return make_dataset(windows, seq_len, seed, [&](TaskRng& rng, int64_t* x, int64_t* y) {
    const TokenShard& shard = *shards[pick_shard(rng)];
    const int64_t start = draw(rng, 0, shard.size() - seq_len - 1);
    const uint16_t* w = shard.tokens() + start;
    for (int64_t t = 0; t <= seq_len; ++t)
      if (w[t] >= vocab_size)
        throw DataError(shard.path() + ": token " + std::to_string(w[t]) + " at token " + std::to_string(start + t) +
                        " is not below the vocabulary size " + std::to_string(vocab_size) + " ([task] vocab_size)");
    for (int64_t t = 0; t < seq_len; ++t) x[t] = w[t], y[t] = w[t + 1];
  });
}

}  // namespace star::train
