#pragma once
// The elementwise, input-varying linear recurrence behind the recurrent LIVs (Rec-1/Rec-2, S4
// and their variants):
//
//   h[b, t, c] = a[b, t, c] * h[b, t - 1, c] + x[b, t, c]        h[b, -1, c] = h0[b, c] (or 0)
//
// computed as a blocked parallel scan in one pass over memory (see linear_scan.cpp), and its
// reverse for the backward pass. Layouts (row-major): a, x, h, da, dx, dh: [B, T, C] (channels
// last, as the model keeps activations), fp32 or bf16 (one type for all; the state is carried
// in fp32 either way); h0, dh0: [B, C], fp32.
#include <cstdint>

#include "bf16.hpp"
#include "launch.hpp"

namespace star::kernels {


// How the GPU scan is blocked (a host team is one thread, so there only the walk, steps and
// prefetch matter). The walk: with look_back >= 1 (the GPU's default) each team takes one
// segment of pieces x steps of the sequence and the state is passed on from segment to segment
// (impl/chained_scan.hpp: a segment composes what the look_back - 1 segments before it
// published onto the state leaving the one before those), so B x C x T / segment teams share the
// GPU; with 0 a team walks the whole sequence in blocks of pieces x steps (the host's default:
// one thread, in order). Steps per thread held in registers (4, 8 or 16), channels per thread
// for bf16 (0 = two where the channels pair up, 1 = one), pieces of `steps` a team holds at once
// (up to 32 and what a team can hold), whether the whole-sequence walk loads the next block's
// steps while the team carries the state, and lanes: the threads side by side over neighbouring
// channels (8, 16 or 32; 32 fp32 lanes read whole 128-byte lines). The defaults are the best
// measured on an H200 (README, "Kernels"; a look-back of 4 was slower there than the plain chain
// of 1, as the chain's hops are not what limits it); `star bench kernels --scan-plans` compares
// plans.
// A call passes its plan in ScanShape::plan; none is the defaults.
struct ScanPlan {
  int steps = 16;
  int channels_per_thread = 0;
  int pieces = 8;
  bool prefetch = true;
  int lanes = 32;
  int look_back = 1;  // 0 to 32
};
// Throws std::invalid_argument for a plan no kernel has (every call checks the plan it is given).
void check_scan_plan(const ScanPlan& plan);

struct ScanShape {
  int64_t batch = 0, length = 0, channels = 0;  // B, T, C
  int64_t chunk = 0;                            // time steps per thread and block; 0 = the backend's choice
  // How to block the scan; null = the defaults, where the host walks whole sequences (a plan
  // given here applies on the host as well: tests walk both ways there).
  const ScanPlan* plan = nullptr;
};

// h0 may be null (a zero initial state).
void linear_scan_forward(const Launch& launch, const ScanShape& shape, const float* a, const float* x,
                         const float* h0, float* h);
void linear_scan_forward(const Launch& launch, const ScanShape& shape, const Bf16* a, const Bf16* x,
                         const float* h0, Bf16* h);

// Gradients from dh = d loss / d h: with g[t] = dh[t] + a[t + 1] * g[t + 1] (a reverse scan),
// dx = g, da[t] = g[t] * h[t - 1], dh0 = a[0] * g[0] (dh0 only when h0 was given; may be null).
// Overwrites dx, da, dh0.
void linear_scan_backward(const Launch& launch, const ScanShape& shape, const float* a, const float* h,
                          const float* h0, const float* dh, float* dx, float* da, float* dh0);
void linear_scan_backward(const Launch& launch, const ScanShape& shape, const Bf16* a, const Bf16* h,
                          const float* h0, const Bf16* dh, Bf16* dx, Bf16* da, float* dh0);

}  // namespace star::kernels
