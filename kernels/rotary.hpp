#pragma once
// Rotary position embedding (RoFormer), fused: one pass reads x where it lies (a slice of a wider
// projection, any strides) and writes the rotated copy once; the angles are computed in the
// kernel, so no cos/sin tables are built or read.
//
//   half = Dh / 2,  i < half,  angle(t, i) = t * base^(-2i / Dh)           (fp32, as torch)
//   y[b, t, h, i]        = x[b, t, h, i] cos(angle) - x[b, t, h, i + half] sin(angle)
//   y[b, t, h, i + half] = x[b, t, h, i] sin(angle) + x[b, t, h, i + half] cos(angle)
//
// Channel i pairs with i + half (the two halves of a head, not neighbours). The backward pass is
// the same rotation by -angle: dx = R(-angle) dy.
//
// Layouts: x (and dy): [B, T, H, Dh] at the strides given for B, T and H (in elements), channels
// contiguous, e.g. the heads of a [B, T, 3 H Dh] fused projection; y: [B, T, H, Dh] contiguous;
// dx: the same, or at the strides given. fp32 or bf16 (one type for both; fp32 arithmetic either
// way, each output rounded once to nearest even).
#include <cstdint>

#include "bf16.hpp"
#include "launch.hpp"

namespace star::kernels {

struct RotaryShape {
  int64_t batch = 0, length = 0, heads = 0, head_dim = 0;  // B, T, H, Dh (Dh even)
};

// Distance in elements between neighbours along B, T and H of the input.
struct RotaryStrides {
  int64_t batch = 0, length = 0, head = 0;
};

// Overwrites y with x rotated by angle(t, i); base as torch uses it (rounded to fp32).
void rotary_forward(const Launch& launch, const RotaryShape& shape, float base, const float* x,
                    const RotaryStrides& x_strides, float* y);
void rotary_forward(const Launch& launch, const RotaryShape& shape, float base, const Bf16* x,
                    const RotaryStrides& x_strides, Bf16* y);

// Overwrites dx with dy rotated by -angle(t, i).
void rotary_backward(const Launch& launch, const RotaryShape& shape, float base, const float* dy,
                     const RotaryStrides& dy_strides, float* dx);
void rotary_backward(const Launch& launch, const RotaryShape& shape, float base, const Bf16* dy,
                     const RotaryStrides& dy_strides, Bf16* dx);
// The same, dx at the strides given (channels contiguous): e.g. straight into the query or key
// heads of the gradient of a fused [B, T, (H + 2 Hkv) Dh] projection.
void rotary_backward(const Launch& launch, const RotaryShape& shape, float base, const float* dy,
                     const RotaryStrides& dy_strides, float* dx, const RotaryStrides& dx_strides);
void rotary_backward(const Launch& launch, const RotaryShape& shape, float base, const Bf16* dy,
                     const RotaryStrides& dy_strides, Bf16* dx, const RotaryStrides& dx_strides);

// y = x at the layouts above (x's strides, y's strides): the values of a fused projection's
// gradient copied beside its un-rotated query and key heads, in the same pass pattern (a
// torch copy of that strided layout ran at half the memory's bandwidth).
void copy_heads(const Launch& launch, const RotaryShape& shape, const float* x, const RotaryStrides& x_strides,
                float* y, const RotaryStrides& y_strides);
void copy_heads(const Launch& launch, const RotaryShape& shape, const Bf16* x, const RotaryStrides& x_strides,
                Bf16* y, const RotaryStrides& y_strides);

}  // namespace star::kernels
