#pragma once
// A stand-in for training, for tests of the search logic: a pure function of the genome in
// which quality prefers attention (class 3) and size prefers SwiGLU (class 1), so the front is
// known to hold both. Genomes starting with class 2 whose fourth LIV is class 2 diverge.
#include <string>

#include "core/eval_result.hpp"
#include "genome/genome.hpp"

namespace star::test {

inline train::EvalResult stand_in_score(const std::string& text) {
  auto g = genome::parse_genome(text);
  train::EvalResult r;
  r.status = train::EvalStatus::ok;
  double attention = 0;
  for (const auto& liv : g.livs) attention += liv.cls == 3;
  r.loss = 3.0 - attention * 0.5 + 0.01 * g.livs[0].featurizer_group + 0.001 * g.livs[2].cls;
  r.parameters = 1000 + static_cast<int64_t>(attention) * 300 + g.livs[1].cls;
  if (text.rfind("2", 0) == 0 && g.livs[3].cls == 2) r.status = train::EvalStatus::diverged;
  return r;
}

}  // namespace star::test
