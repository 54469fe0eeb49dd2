#pragma once
// Linear warmup then cosine decay to min_ratio * peak.
#include <cstdint>

namespace star::train {

// Learning rate for optimizer step `step` (0-based) of `total_steps`.
double scheduled_learning_rate(int64_t step, int64_t total_steps, double peak, double warmup_fraction,
                               double min_ratio);

}  // namespace star::train
