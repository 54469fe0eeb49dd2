#include "train/compression.hpp"

#include <stdexcept>
#include <string>

#include "core/task_sizes.hpp"

namespace star::train {

TokenDataset make_compression(const TaskConfig& config, int64_t examples, uint64_t seed) {
  const int64_t V = config.vocab_size, T = config.seq_len, n = T / 2, noise = config.noise_vocab_size;
  const int64_t data = V - 1 - noise, compress = V - 1;
  check_task_sizes(config);
  return make_dataset(examples, T, seed, [&](TaskRng& rng, int64_t* x, int64_t* y) {
    for (int64_t i = 0; i < n; ++i) {
      // The coin is drawn only with noise, so the plain task's data do not depend on it.
      const bool is_noise = config.frac_noise > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < config.frac_noise;
      x[i] = is_noise ? draw(rng, data, compress - 1) : draw(rng, 0, data - 1);
      if (!is_noise) y[n + i] = x[i];
      x[n + i] = compress;
    }
  });
}

}  // namespace star::train
