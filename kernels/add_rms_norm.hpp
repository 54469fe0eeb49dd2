#pragma once
// The residual add and the RMSNorm that follows it, fused: between two LIVs the backbone adds the
// LIV's output to the fp32 residual stream and normalises the sum for the next LIV. Done apart
// that is an add, a norm and (under autocast) a cast, each a pass over [N, d]; fused, the forward
// reads h and delta once and writes the new h and the normalised y once, and the backward reads
// dy, dh_out and h_out and writes dh and ddelta in one pass (plus a re-read from cache).
//
//   h_out[n, j] = h[n, j] + delta[n, j]                              (fp32)
//   rstd[n]     = 1 / sqrt(mean_j h_out[n, j]^2 + eps)
//   y[n, j]     = h_out[n, j] * rstd[n] * gain[j]                    (rounded once to Elem)
//
// Backward, with x^ = h_out * rstd and g = dy * gain:
//   dh[n, j]     = dh_out[n, j] + rstd[n] * (g[n, j] - x^[n, j] * mean_k(g[n, k] x^[n, k]))
//   ddelta[n, j] = dh[n, j] in Elem
//   dgain[j]     = sum_n dy[n, j] x^[n, j], given as partial sums: dgain_partial[t, j] over team t's
//                  rows, t < add_rms_norm_partial_rows(launch, shape); their sum over t is dgain.
//
// Layouts (row-major, contiguous): h, h_out, dh_out, dh: [N, d] fp32; delta, y, dy, ddelta:
// [N, d] Elem (fp32 or bf16); gain [d], rstd [N] fp32. fp32 arithmetic throughout; every
// reduction in a fixed order, so results do not change from run to run.
#include <cstdint>

#include "bf16.hpp"
#include "launch.hpp"

namespace star::kernels {

struct AddRmsNormShape {
  int64_t rows = 0, width = 0;  // N, d
};

// Overwrites h_out, y and rstd.
void add_rms_norm_forward(const Launch& launch, const AddRmsNormShape& shape, float eps, const float* h,
                          const float* delta, const float* gain, float* h_out, float* y, float* rstd);
void add_rms_norm_forward(const Launch& launch, const AddRmsNormShape& shape, float eps, const float* h,
                          const Bf16* delta, const float* gain, float* h_out, Bf16* y, float* rstd);

// Rows of dgain_partial ([rows, d] fp32) the backward pass writes for this shape and launch.
int64_t add_rms_norm_partial_rows(const Launch& launch, const AddRmsNormShape& shape);

// Overwrites dh, ddelta and dgain_partial. dh_out may be null (h_out not used afterwards: zero).
void add_rms_norm_backward(const Launch& launch, const AddRmsNormShape& shape, const float* h_out, const float* rstd,
                           const float* gain, const float* dy, const float* dh_out, float* dh, float* ddelta,
                           float* dgain_partial);
void add_rms_norm_backward(const Launch& launch, const AddRmsNormShape& shape, const float* h_out, const float* rstd,
                           const float* gain, const Bf16* dy, const float* dh_out, float* dh, Bf16* ddelta,
                           float* dgain_partial);

}  // namespace star::kernels
