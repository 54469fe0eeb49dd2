#include "train/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace star::train {

double scheduled_learning_rate(int64_t step, int64_t total_steps, double peak, double warmup_fraction,
                               double min_ratio) {
  const int64_t warmup = static_cast<int64_t>(std::floor(warmup_fraction * static_cast<double>(total_steps)));
  if (step < warmup) return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
  const int64_t decay_steps = std::max<int64_t>(1, total_steps - warmup);
  const double progress = std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(decay_steps));
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
  return peak * (min_ratio + (1.0 - min_ratio) * cosine);
}

}  // namespace star::train
