#pragma once
// The gated unit of the gated MLPs (SwiGLU, GeGLU, GLU, bilinear), fused: the forward pass reads
// the gate_up projection once and writes the hidden activations once; the backward pass reads
// gate_up and dy once and writes the whole gradient of gate_up once, recomputing act(g) instead
// of keeping it.
//
//   g = gate_up[n, 0 .. h),  u = gate_up[n, h .. 2h)          (what torch's chunk(2, -1) gives)
//   y[n, j]           = act(g[n, j]) * u[n, j]
//   dgate_up[n, j]     = dy[n, j] * u[n, j] * act'(g[n, j])    (dg)
//   dgate_up[n, h + j] = dy[n, j] * act(g[n, j])               (du)
//
// act: identity; silu x / (1 + e^-x); gelu, exact: x (1 + erf(x / sqrt 2)) / 2 (torch::gelu's
// default, not the tanh approximation); sigmoid 1 / (1 + e^-x).
//
// Layouts (row-major, contiguous): gate_up, dgate_up: [N, 2h]; y, dy: [N, h]; fp32 or bf16 (one
// type for all; fp32 arithmetic either way, each output rounded once to nearest even).
#include <cstdint>

#include "bf16.hpp"
#include "launch.hpp"

namespace star::kernels {

enum class GateActivation { identity, silu, gelu, sigmoid };

struct GatedUnitShape {
  int64_t rows = 0, hidden = 0;  // N, h
};

// Overwrites y.
void gated_unit_forward(const Launch& launch, const GatedUnitShape& shape, GateActivation act, const float* gate_up,
                        float* y);
void gated_unit_forward(const Launch& launch, const GatedUnitShape& shape, GateActivation act, const Bf16* gate_up,
                        Bf16* y);

// Overwrites dgate_up from the forward's input and the upstream gradient dy.
void gated_unit_backward(const Launch& launch, const GatedUnitShape& shape, GateActivation act, const float* gate_up,
                         const float* dy, float* dgate_up);
void gated_unit_backward(const Launch& launch, const GatedUnitShape& shape, GateActivation act, const Bf16* gate_up,
                         const Bf16* dy, Bf16* dgate_up);

}  // namespace star::kernels
