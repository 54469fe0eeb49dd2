#include "train/task_dataset.hpp"

#include <vector>

namespace star::train {

TokenDataset make_dataset(int64_t examples, int64_t seq_len, uint64_t seed, const SequenceFiller& fill) {
  TaskRng rng(seed);
  std::vector<int64_t> inputs(examples * seq_len), targets(examples * seq_len, kIgnoreTarget);
  for (int64_t n = 0; n < examples; ++n) fill(rng, inputs.data() + n * seq_len, targets.data() + n * seq_len);
  auto opts = torch::TensorOptions().dtype(torch::kInt64);
  return {torch::from_blob(inputs.data(), {examples, seq_len}, opts).clone(),
          torch::from_blob(targets.data(), {examples, seq_len}, opts).clone()};
}

}  // namespace star::train
