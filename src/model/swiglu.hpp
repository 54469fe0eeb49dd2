#pragma once
// GMemless family (memoryless, diagonal token mixing): gated channel mixers, T_ii = sigma(C).
//   y = W_down (sigma(W_gate x) * W_up x)
// sigma is the operator genome's nonlinearity: silu (SwiGLU, Shazeer 2020: the GMemless preset),
// gelu (GeGLU: GMemless-2), sigmoid (GLU) or the identity (bilinear). The hidden width h is
// [model] mlp_ratio x d times the featurizer genome's expansion (x1, x2 or x1/2): gated_mlp_hidden_width
// in model/derived_sizes.hpp.
// Featurizer: W_gate and W_up (one [2h, d] projection), shareable within a class. No feature
// groups to share, no cache. The gated unit sigma(g) * u runs as one fused Kokkos kernel each
// way (src/model/ops/gated_unit.hpp), or in LibTorch with [model] kernels = "torch".
#include "model/liv.hpp"

namespace star::model {

LivBuilder gated_mlp_builder();

}  // namespace star::model
