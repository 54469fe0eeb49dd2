#pragma once
// Causal depthwise 1-D convolution, the token mixer of the gated short convolution (GConv-1).
//
//   y[b, t, c] = sum_{j < K} w[c, j] * x[b, t - (K - 1) + j, c]      (x at negative times is 0)
//
// Layouts (row-major): x, y, dx, dy: [B, T, C] (channels last, as the model keeps activations),
// fp32 or bf16 (one type for all four; fp32 arithmetic either way); w, dw: [C, K], fp32 (the
// master weights). This equals torch's conv1d with groups = C, padding K - 1, keeping the first
// T outputs.
#include <cstdint>

#include "bf16.hpp"
#include "launch.hpp"

namespace star::kernels {


// How the kernels walk time (the long-filter path only uses backward_tile): steps per thread
// forward and backward (a longer backward tile means fewer threads and dw partial rows), steps
// of loads issued together (1, 4 or 8), channels per thread for bf16 (0 = two where the channels
// pair up, 1 = one). The defaults are the best measured on an H200 (README, "Kernels"); `star bench kernels
// --conv-plans` compares plans. A call passes its plan in ConvShape::plan; none is the defaults.
struct ConvPlan {
  int64_t forward_tile = 32, backward_tile = 32;
  int unroll = 8;
  int channels_per_thread = 0;
};
void check_conv_plan(const ConvPlan& plan);  // throws std::invalid_argument for a plan no kernel has

struct ConvShape {
  int64_t batch = 0, length = 0, channels = 0, taps = 0;  // B, T, C, K
  // How to tile the work; null = the defaults. causal_conv1d_weight_partial_rows depends on it,
  // so the backward pass must get the shape the partial rows were sized for.
  const ConvPlan* plan = nullptr;
};

void causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const float* x,
                           const float* w, float* y);
void causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const Bf16* x,
                           const float* w, Bf16* y);

// Rows of dw partial sums the backward pass writes (one per batch row and group of tiles).
int64_t causal_conv1d_weight_partial_rows(const ConvShape& shape);

// Gradients of the forward: dx = d loss / d x (overwritten), and dw = d loss / d w as partial
// sums: dw_partial is [causal_conv1d_weight_partial_rows(shape), C, K] fp32, overwritten, and
// dw is its sum over the first axis (the caller adds the rows in a fixed order, e.g. with
// sum_rows: deterministic, unlike atomics).
void causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const float* x,
                            const float* w, const float* dy, float* dx, float* dw_partial);
void causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const Bf16* x,
                            const float* w, const Bf16* dy, Bf16* dx, float* dw_partial);

// The gated short convolution's mixer in one pass each way (GConv-1: y = c * conv(b * x)), from
// its input projection p = [b | c | x]: [B, T, 3C] rows, b, c and x C channels each (how the
// model's in-projection lies), y: [B, T, C]. The unfused path (two products and the convolution
// above) writes and reads b * x and conv(b * x) in memory; these keep them in registers, and the
// backward pass writes dp (b's, c's and x's gradients, [B, T, 3C]) in one tensor with each dw
// partial row as causal_conv1d_backward does (the same number of rows). The product b * x goes
// into the convolution in fp32: in fp32 the results equal the unfused path's, in bf16 they differ
// by its rounding of b * x and conv(b * x) to bf16. Filters of at most 8 taps (the windowed
// kernels); the others throw std::invalid_argument.
bool gated_causal_conv1d_fuses(const ConvShape& shape);
void gated_causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const float* p, const float* w,
                                 float* y);
void gated_causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const Bf16* p, const float* w,
                                 Bf16* y);
void gated_causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const float* p, const float* w,
                                  const float* dy, float* dp, float* dw_partial);
void gated_causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const Bf16* p, const float* w,
                                  const Bf16* dy, Bf16* dp, float* dw_partial);

}  // namespace star::kernels
