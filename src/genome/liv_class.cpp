#include "genome/liv_class.hpp"

#include <stdexcept>
#include <string>

namespace star::genome {

const std::vector<LivClass>& liv_classes() {
  // Strategy 2 of featurizer sharing shares all of the class's featurizer weights (the input
  // projections; src/model says which per class). Feature-group sharing (strategy 2) exists where
  // a later LIV can reuse what an earlier one computed: attention's keys and values (and so its
  // KV cache), linear attention's feature-mapped keys and values (and so its state), a
  // recurrence's state sequence h (its decays and inputs). Classes 1-3 are fixed: existing genomes
  // and results name them. Differential variants (y = op1(x) - lambda op2(x)) share like their base.
  using F = Family;
  static const std::vector<LivClass> table = {
      {1, "GMemless", "SwiGLU gated memoryless channel mixer", F::memoryless, 2, 1},
      {2, "GConv-1", "gated short causal depthwise convolution", F::convolution, 2, 1},
      {3, "SA-1", "multi-head softmax attention with rotary positions", F::attention, 2, 2},
      {4, "SA-2", "multi-head linear attention, elu+1 feature map, chunked causal sums", F::linear_attention, 2, 2},
      {5, "SA-3", "grouped-query softmax attention with rotary positions", F::attention, 2, 2},
      {6, "Rec-1", "gated diagonal linear recurrence, step-by-step scan", F::recurrence, 2, 2},
      {7, "Rec-2", "gated diagonal linear recurrence, chunked parallel scan", F::recurrence, 2, 2},
      {8, "GConv-2", "Hyena gated long convolution, implicit decaying filter, FFT", F::long_convolution, 2, 1},
      {9, "GMemless-2", "GeGLU gated memoryless channel mixer", F::memoryless, 2, 1},
      {10, "S4-1", "gated diagonal S4 (S4D-Real), fixed state matrices, FFT", F::state_space, 2, 1},
      {11, "S4-2", "gated liquid S4: diagonal SSM with input-dependent step", F::state_space, 2, 1},
      {12, "S4-Diff", "differential S4-1", F::state_space, 2, 1, 10},
      {13, "SA-1-Diff", "differential SA-1", F::attention, 2, 2, 3},
      {14, "SA-2-Diff", "differential SA-2", F::linear_attention, 2, 2, 4},
      {15, "SA-3-Diff", "differential SA-3", F::attention, 2, 2, 5},
      {16, "Rec-1-Diff", "differential Rec-1", F::recurrence, 2, 2, 6},
      {17, "Rec-2-Diff", "differential Rec-2", F::recurrence, 2, 2, 7},
      {18, "GConv-1-Diff", "differential GConv-1", F::convolution, 2, 1, 2},
      {19, "GConv-2-Diff", "differential GConv-2", F::long_convolution, 2, 1, 8},
      {20, "S4-Monarch", "S4-1 with Monarch input, gate and output projections", F::state_space, 2, 1},
  };
  return table;
}

const LivClass* find_liv_class(int id) {
  for (const auto& c : liv_classes())
    if (c.id == id) return &c;
  return nullptr;
}

const LivClass& liv_class(int id) {
  if (const auto* c = find_liv_class(id)) return *c;
  std::string known;
  for (const auto& c : liv_classes()) known += (known.empty() ? "" : ", ") + std::to_string(c.id) + " " + c.short_name;
  throw std::invalid_argument("unknown LIV class " + std::to_string(id) + " (known: " + known + ")");
}

}  // namespace star::genome
