#include "train/selective_copying.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/task_sizes.hpp"

namespace star::train {

TokenDataset make_selective_copying(const TaskConfig& config, int64_t examples, uint64_t seed) {
  const int64_t V = config.vocab_size, T = config.seq_len, n = config.tokens_to_copy;
  const int64_t blank = V - 2, copy = V - 1, prefix = T - n - 1;
  check_task_sizes(config);
  std::vector<int64_t> slots(prefix);
  return make_dataset(examples, T, seed, [&](TaskRng& rng, int64_t* x, int64_t* y) {
    // Which prefix positions hold data: the first n of a random permutation, in order.
    std::iota(slots.begin(), slots.end(), 0);
    std::shuffle(slots.begin(), slots.end(), rng);
    std::sort(slots.begin(), slots.begin() + n);
    std::fill(x, x + T, blank);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t token = draw(rng, 0, V - 3);
      x[slots[i]] = token;
      y[prefix + 1 + i] = token;
    }
    x[prefix] = copy;
  });
}

}  // namespace star::train
