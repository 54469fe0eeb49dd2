#include "train/memorization.hpp"

#include <stdexcept>
#include <string>

#include "core/task_sizes.hpp"

namespace star::train {

std::vector<int64_t> memorization_map(const TaskConfig& config) {
  const int64_t K = config.vocab_size - 1, keys = K / 2;
  TaskRng rng(config.seed ^ 0x6d656d6f72697a65ULL);  // not the stream of either data split
  std::vector<int64_t> value_of(keys);
  for (auto& v : value_of) v = draw(rng, keys, K - 1);
  return value_of;
}

TokenDataset make_memorization(const TaskConfig& config, int64_t examples, uint64_t seed) {
  const int64_t V = config.vocab_size, T = config.seq_len, K = V - 1, insert = V - 1;
  check_task_sizes(config);
  const auto value_of = memorization_map(config);
  return make_dataset(examples, T, seed, [&](TaskRng& rng, int64_t* x, int64_t* y) {
    for (int64_t t = 0; t < T; t += 2) {
      const int64_t key = draw(rng, 0, K / 2 - 1);
      x[t] = key;
      x[t + 1] = insert;
      y[t + 1] = value_of[key];
    }
  });
}

}  // namespace star::train
