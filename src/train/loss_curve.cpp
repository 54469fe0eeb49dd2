#include "train/loss_curve.hpp"

#include <algorithm>

namespace star::train {

LossCurve::LossCurve(int64_t steps)
    : steps_(std::max<int64_t>(1, steps)),
      sums_(static_cast<size_t>(std::min<int64_t>(kLossCurvePoints, steps_))),
      counts_(sums_.size()) {}

void LossCurve::add(int64_t step, double loss) {
  if (step < 0 || step >= steps_) return;
  const auto share = static_cast<size_t>(step * static_cast<int64_t>(sums_.size()) / steps_);
  sums_[share] += loss;
  ++counts_[share];
}

std::vector<double> LossCurve::points() const {
  std::vector<double> out;
  for (size_t i = 0; i < sums_.size(); ++i)
    if (counts_[i] > 0) out.push_back(sums_[i] / static_cast<double>(counts_[i]));
  return out;
}

}  // namespace star::train
