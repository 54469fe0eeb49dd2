#pragma once
// A synthetic task's examples as the trainer consumes them, and the loop every generator shares:
// one sequence at a time, from one seeded generator, so a data set is a pure function of its seed.
#include <cstdint>
#include <functional>
#include <random>

#include <torch/torch.h>

namespace star::train {

constexpr int64_t kIgnoreTarget = -100;  // a position the loss and the accuracy skip

struct TokenDataset {
  torch::Tensor inputs;   // [N, T] int64
  torch::Tensor targets;  // [N, T] int64: the token the model must output at each position, or kIgnoreTarget
};

using TaskRng = std::mt19937_64;

// Fills one sequence: `inputs` and `targets` point at T values; targets start as kIgnoreTarget.
using SequenceFiller = std::function<void(TaskRng& rng, int64_t* inputs, int64_t* targets)>;

// `examples` sequences of length `seq_len` from `fill`, drawn with a generator seeded by `seed`.
TokenDataset make_dataset(int64_t examples, int64_t seq_len, uint64_t seed, const SequenceFiller& fill);

// A uniform integer in [lo, hi].
inline int64_t draw(TaskRng& rng, int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); }

}  // namespace star::train
