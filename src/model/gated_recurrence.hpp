#pragma once
// Rec-1: a gated, input-varying linear recurrence with a diagonal state (in the manner of GLA,
// Mamba and minGRU; T_ij = C_i A_{i-1} ... A_{j+1} B_j, a semi-separable operator). The featurizer
// (one [3d, d] projection, shareable) gives per token and channel a forget gate, a value and an
// output gate:
//   a_t = sigmoid(f_t + bias)        (bias initialised so that a starts between 0.88 and 0.99)
//   h_t = a_t * h_{t-1} + (1 - a_t) * v_t
//   y_t = W_out (silu(o_t) * h_t)
// The recurrence runs as the Kokkos chunked scan (kernels/linear_scan.hpp) or, with
// [model] kernels = "torch", as LibTorch's log-step scan. Its inference cache is the state h:
// d values, whatever the sequence length.
#include "model/liv.hpp"

namespace star::model {

LivBuilder gated_recurrence_builder();

}  // namespace star::model
