#include "train/in_context_recall.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "core/task_sizes.hpp"

namespace star::train {

TokenDataset make_in_context_recall(const TaskConfig& config, int64_t examples, uint64_t seed) {
  const int64_t V = config.vocab_size, T = config.seq_len, K = V - config.noise_vocab_size, keys = K / 2;
  check_task_sizes(config);
  std::vector<int64_t> value_of(keys), seq(T + 1);
  std::vector<char> seen(keys), noise(T + 1);
  return make_dataset(examples, T, seed, [&](TaskRng& rng, int64_t* x, int64_t* y) {
    for (auto& v : value_of) v = draw(rng, keys, K - 1);
    for (int64_t t = 0; t <= T; t += 2) {
      // The coin is drawn only for a noisy task, so the plain task's data stay as they were.
      noise[t] = config.frac_noise > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < config.frac_noise;
      if (noise[t]) {
        seq[t] = draw(rng, K, V - 1);
        if (t + 1 <= T) seq[t + 1] = draw(rng, K, V - 1);
        continue;
      }
      seq[t] = draw(rng, 0, keys - 1);
      if (t + 1 <= T) seq[t + 1] = value_of[seq[t]];
    }
    std::fill(seen.begin(), seen.end(), 0);
    for (int64_t t = 0; t < T; ++t) {
      x[t] = seq[t];
      if (t % 2 == 0 && !noise[t]) {  // a key: its value is recallable when the key came before
        if (seen[seq[t]]) y[t] = seq[t + 1];
        seen[seq[t]] = 1;
      }
    }
  });
}

}  // namespace star::train
