#include "train/in_context_recall.hpp"

#include <random>
#include <stdexcept>
#include <vector>

namespace star::train {

TokenDataset make_in_context_recall(const TaskConfig& config, int64_t examples, uint64_t seed) {
  const int64_t V = config.vocab_size, T = config.seq_len, keys = V / 2;
  if (V < 4) throw std::invalid_argument("in_context_recall: vocab_size must be at least 4");
  if (T < 2) throw std::invalid_argument("in_context_recall: seq_len must be at least 2");
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> key_dist(0, keys - 1), value_dist(keys, V - 1);

  std::vector<int64_t> inputs(examples * T), targets(examples * T, kIgnoreTarget);
  std::vector<int64_t> value_of(keys), seq(T + 1);
  std::vector<char> seen(keys);
  for (int64_t n = 0; n < examples; ++n) {
    for (auto& v : value_of) v = value_dist(rng);
    for (int64_t t = 0; t <= T; t += 2) {
      seq[t] = key_dist(rng);
      if (t + 1 <= T) seq[t + 1] = value_of[seq[t]];
    }
    std::fill(seen.begin(), seen.end(), 0);
    for (int64_t t = 0; t < T; ++t) {
      inputs[n * T + t] = seq[t];
      if (t % 2 == 0) {  // a key: its value is recallable when the key came before
        if (seen[seq[t]]) targets[n * T + t] = seq[t + 1];
        seen[seq[t]] = 1;
      }
    }
  }
  auto opts = torch::TensorOptions().dtype(torch::kInt64);
  return {torch::from_blob(inputs.data(), {examples, T}, opts).clone(),
          torch::from_blob(targets.data(), {examples, T}, opts).clone()};
}

TaskData make_task(const TaskConfig& config) {
  if (config.kind != "in_context_recall")
    throw std::invalid_argument("unknown task kind \"" + config.kind + "\" (available: in_context_recall)");
  // Distinct streams for the train and test sets, so no test sequence is a training sequence
  // by construction of the generator.
  return {make_in_context_recall(config, config.train_examples, config.seed * 2 + 1),
          make_in_context_recall(config, config.test_examples, config.seed * 2 + 2)};
}

}  // namespace star::train
