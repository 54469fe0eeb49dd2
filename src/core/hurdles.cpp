#include "core/hurdles.hpp"

#include <algorithm>
#include <cmath>

namespace star::train {

int64_t hurdle_window(int64_t steps) { return std::max<int64_t>(1, steps / kLossCurvePoints); }

int64_t hurdle_step(double fraction, int64_t steps) {
  const auto step = fraction >= 1 ? steps - 1 : static_cast<int64_t>(std::ceil(fraction * static_cast<double>(steps)));
  return step >= 1 && step < steps ? step : 0;
}

std::vector<TaskHurdle> task_hurdles(const std::vector<Hurdle>& hurdles, size_t tasks, size_t task_index) {
  std::vector<TaskHurdle> out;
  const double n = static_cast<double>(std::max<size_t>(1, tasks));
  for (size_t i = 0; i < hurdles.size(); ++i) {
    // In tasks; rounded, so that 0.7 of 10 tasks is the end of the seventh, not just past it.
    const double reach = std::round(hurdles[i].fraction * n * 1e9) / 1e9;
    const double task = std::max(0.0, std::ceil(reach) - 1);
    if (static_cast<size_t>(task) == task_index) out.push_back({i, std::min(1.0, reach - task)});
  }
  return out;
}

HurdleBoard::HurdleBoard(std::vector<Hurdle> hurdles, HurdlePointOf point_of, HurdleHandout handout)
    : hurdles_(std::move(hurdles)),
      point_of_(std::move(point_of)),
      handout_(std::move(handout)),
      points_(hurdles_.size()),
      handed_(points_.size()),
      stale_(points_.size(), true) {}

void HurdleBoard::record(const EvalResult& result) {
  if (result.hurdle_losses.size() > points_.size()) return;
  for (size_t i = 0; i < result.hurdle_losses.size(); ++i)
    if (std::isfinite(result.hurdle_losses[i])) {
      points_[i].push_back(point_of_(result, result.hurdle_losses[i]));
      stale_[i] = true;
    }
}

const HurdlePoints& HurdleBoard::handout() {
  if (!handout_) return points_;
  for (size_t i = 0; i < points_.size(); ++i)
    if (stale_[i]) {
      handed_[i] = handout_(points_[i], hurdles_[i].percentile);
      stale_[i] = false;
    }
  return handed_;
}

}  // namespace star::train
