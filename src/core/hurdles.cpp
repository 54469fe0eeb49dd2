#include "core/hurdles.hpp"

#include <algorithm>
#include <cmath>

namespace star::train {

int64_t hurdle_window(int64_t steps) { return std::max<int64_t>(1, steps / kLossCurvePoints); }

int64_t hurdle_step(double fraction, int64_t steps) {
  const auto step = static_cast<int64_t>(std::ceil(fraction * static_cast<double>(steps)));
  return step >= 1 && step < steps ? step : 0;
}

HurdleBoard::HurdleBoard(std::vector<Hurdle> hurdles, int tasks, HurdlePointOf point_of)
    : hurdles_(std::move(hurdles)),
      point_of_(std::move(point_of)),
      points_(hurdles_.size() * static_cast<size_t>(std::max(1, tasks))) {}

void HurdleBoard::record(const EvalResult& result) {
  for (size_t i = 0; i < result.hurdle_losses.size() && i < points_.size(); ++i)
    if (std::isfinite(result.hurdle_losses[i])) points_[i].push_back(point_of_(result, result.hurdle_losses[i]));
}

HurdlePoints task_points(const HurdlePoints& points, size_t hurdles, size_t task_index) {
  HurdlePoints out(hurdles);
  for (size_t h = 0; h < hurdles; ++h)
    if (task_index * hurdles + h < points.size()) out[h] = points[task_index * hurdles + h];
  return out;
}

}  // namespace star::train
