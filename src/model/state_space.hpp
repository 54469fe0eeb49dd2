#pragma once
// S4 classes: gated diagonal state spaces with N = kStateSpaceSize real states per channel,
// A = -exp(log_neg_a) < 0 ([d, N]; initialised S4D-Real: A_n = -(n + 1)), zero-order hold with
// step dt. Gated as in H3 / Mamba:  (u, g) from the featurizer,  y = W_out (silu(g) * (SSM(u) + D u)).
//
//   S4-1 (s4d.cpp): fixed, input-independent A, B = 1, C [d, N] and dt [d] (S4D, Gu et al. 2022),
//     computed as a long convolution whose kernel K[c, l] = sum_n C (e^{dt A} - 1) / A e^{l dt A}
//     is applied by FFT. Featurizer [2d, d]. Parameters 3 d^2 + 2 d N + 2 d.
//   S4-Monarch (s4d.cpp, featurizer channel mixing 3): S4-1 whose featurizer (u and g) and output
//     projection are Monarch matrices (monarch.hpp), M = d (b1 + b2) weights each instead of d^2.
//     Parameters 3 M + 2 d N + 2 d.
//   S4-2 (liquid_s4.cpp): the transition depends on the input, like Rec-1 with an S4D
//     parametrisation: dt_t = softplus(W_dt x_t + bias) per channel, B_t, C_t = W_B x_t, W_C x_t
//     ([N], shared by the channels), h_t = e^{dt_t A} h_{t-1} + dt_t B_t u_t, y_t = C_t . h_t,
//     run by the linear scan (Kokkos, or LibTorch with [model] kernels = "torch").
//     Featurizer [3d + 2N, d]. Parameters 4 d^2 + 3 d N + 2 d.
// Featurizer (shareable within a class): the input projection. No feature groups to share.
// Cache: the state, d N values.
#include "model/liv.hpp"

namespace star::model {

LivBuilder s4d_builder();        // S4-1
LivBuilder liquid_s4_builder();  // S4-2

// A = -(n + 1) for every channel, as log(-A): [width, N].
torch::Tensor s4d_real_log_neg_a(int64_t width);

}  // namespace star::model
