#pragma once
// Rec-1 and Rec-2: a gated, input-varying, diagonal linear recurrence (GLA / Mamba-like,
// T_ij = C_i A_{i-1} ... A_{j+1} B_j with elementwise A):
//   a_t = sigmoid(W_a x_t),  b_t = (W_B x_t) * (W_v x_t),  h_t = a_t * h_{t-1} + b_t,
//   y_t = W_out (C_t * h_t),  C_t = W_C x_t                                         (all [d])
// Rec-1 runs the scan step by step: the Kokkos scan kernel, or LibTorch's log-step scan when
// [model] kernels = "torch". Rec-2 runs the same operator by a chunked parallel scan in plain
// LibTorch (chunked_scan.hpp, kScanChunk tokens per chunk): same weights, same outputs.
// Featurizer (shareable): the readout projection W_C [d, d], and the state inputs W_a, W_B, W_v
// ([3d, d]) when some LIV using it computes its own state. Feature groups (shareable): the state
// sequence h; a LIV that borrows it computes only its readout C, and the state is kept once.
// Cache: the state h, d values. Operator genome option: block-diagonal sparsity resets the state
// at the start of every block of kSparsityWindow tokens (a_t = 0 there).
#include "model/liv.hpp"

namespace star::model {

LivBuilder recurrence_builder();          // Rec-1
LivBuilder chunked_recurrence_builder();  // Rec-2

}  // namespace star::model
