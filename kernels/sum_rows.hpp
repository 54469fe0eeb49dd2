#pragma once
// Column sums of partial rows, the last step of the kernels that leave a parameter gradient as
// one partial row per team (the short convolution's dw, the fused norm's dgain):
//
//   out[n] = sum_{r < rows} partial[r, n]        partial: [rows, width] fp32, row-major
//
// Always added in the same order (not with atomics), so the result is the same from run to run.
// One launch, where torch's sum(0) took 3 to 20 us on an H200 for the shapes the backward passes
// leave (its reduction picks its strategy by shape; README, "Kernels").
#include <cstdint>

#include "launch.hpp"

namespace star::kernels {

// Overwrites out [width]. Throws std::invalid_argument for negative sizes.
void sum_rows(const Launch& launch, int64_t rows, int64_t width, const float* partial, float* out);

}  // namespace star::kernels
