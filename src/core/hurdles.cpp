#include "core/hurdles.hpp"

#include <algorithm>
#include <cmath>

namespace star::train {

int64_t hurdle_window(int64_t steps) { return std::max<int64_t>(1, steps / kLossCurvePoints); }

int64_t hurdle_step(double fraction, int64_t steps) {
  const auto step = static_cast<int64_t>(std::ceil(fraction * static_cast<double>(steps)));
  return step >= 1 && step < steps ? step : 0;
}

double percentile(std::vector<double> values, double percent) {
  if (values.empty()) return std::numeric_limits<double>::infinity();
  std::sort(values.begin(), values.end());
  const double position = percent / 100.0 * static_cast<double>(values.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

HurdleBoard::HurdleBoard(std::vector<Hurdle> hurdles, int tasks)
    : hurdles_(std::move(hurdles)), losses_(hurdles_.size() * static_cast<size_t>(std::max(1, tasks))) {}

void HurdleBoard::record(const EvalResult& result) {
  for (size_t i = 0; i < result.hurdle_losses.size() && i < losses_.size(); ++i)
    if (std::isfinite(result.hurdle_losses[i])) losses_[i].push_back(result.hurdle_losses[i]);
}

std::vector<double> HurdleBoard::thresholds() const {
  std::vector<double> out;
  for (size_t i = 0; i < losses_.size(); ++i) out.push_back(percentile(losses_[i], hurdles_[i % hurdles_.size()].percentile));
  return out;
}

std::vector<double> task_thresholds(const std::vector<double>& thresholds, size_t hurdles, size_t task_index) {
  std::vector<double> out(hurdles, std::numeric_limits<double>::infinity());
  for (size_t h = 0; h < hurdles; ++h)
    if (task_index * hurdles + h < thresholds.size()) out[h] = thresholds[task_index * hurdles + h];
  return out;
}

}  // namespace star::train
