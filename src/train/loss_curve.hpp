#pragma once
// A training's loss curve in a few dozen points: the mean training loss over each of up to
// kLossCurvePoints equal shares of the steps. Plain C++ (no torch).
#include <cstdint>
#include <vector>

#include "core/eval_result.hpp"

namespace star::train {

class LossCurve {
 public:
  explicit LossCurve(int64_t steps);
  void add(int64_t step, double loss);  // step in [0, steps)
  // One mean per share that saw a step, in step order.
  std::vector<double> points() const;

 private:
  int64_t steps_;
  std::vector<double> sums_;
  std::vector<int64_t> counts_;
};

}  // namespace star::train
