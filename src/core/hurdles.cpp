#include "core/hurdles.hpp"

#include <algorithm>
#include <cmath>

namespace star::train {

int64_t hurdle_window(int64_t steps) { return std::max<int64_t>(1, steps / kLossCurvePoints); }

int64_t hurdle_step(double fraction, int64_t steps) {
  const auto step = static_cast<int64_t>(std::ceil(fraction * static_cast<double>(steps)));
  return step >= 1 && step < steps ? step : 0;
}

HurdleBoard::HurdleBoard(std::vector<Hurdle> hurdles, int tasks, HurdlePointOf point_of, HurdleHandout handout)
    : hurdles_(std::move(hurdles)),
      point_of_(std::move(point_of)),
      handout_(std::move(handout)),
      points_(hurdles_.size() * static_cast<size_t>(std::max(1, tasks))),
      handed_(points_.size()),
      stale_(points_.size(), true) {}

void HurdleBoard::record(const EvalResult& result) {
  for (size_t i = 0; i < result.hurdle_losses.size() && i < points_.size(); ++i)
    if (std::isfinite(result.hurdle_losses[i])) {
      points_[i].push_back(point_of_(result, result.hurdle_losses[i]));
      stale_[i] = true;
    }
}

const HurdlePoints& HurdleBoard::handout() {
  if (!handout_) return points_;
  for (size_t i = 0; i < points_.size(); ++i)
    if (stale_[i]) {  // points are task by task, hurdle by hurdle
      handed_[i] = handout_(points_[i], hurdles_[i % hurdles_.size()].percentile);
      stale_[i] = false;
    }
  return handed_;
}

HurdlePoints task_points(const HurdlePoints& points, size_t hurdles, size_t task_index) {
  HurdlePoints out(hurdles);
  for (size_t h = 0; h < hurdles; ++h)
    if (task_index * hurdles + h < points.size()) out[h] = points[task_index * hurdles + h];
  return out;
}

}  // namespace star::train
