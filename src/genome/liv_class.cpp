#include "genome/liv_class.hpp"

#include <stdexcept>
#include <string>

namespace star::genome {

const std::vector<LivClass>& liv_classes() {
  // Strategy 2 of each class: featurizer sharing shares all of the class's featurizer weights
  // (SwiGLU: gate and up projections; GConv-1: the gate/value input projection; SA-1: the query,
  // key and value projections); feature-group sharing reuses the keys and values of attention.
  static const std::vector<LivClass> table = {
      {1, "GMemless", "SwiGLU gated memoryless channel mixer", Family::memoryless, 2, 1},
      {2, "GConv-1", "gated short causal depthwise convolution", Family::convolution, 2, 1},
      {3, "SA-1", "multi-head softmax attention with rotary positions", Family::attention, 2, 2},
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
