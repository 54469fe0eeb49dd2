#pragma once
// GConv-1: gated short convolution in the manner of LFM2 / Hyena's short filter. The featurizer
// (one [3d, d] projection, shareable) gives two gates B, C and a value x~; the token mixer is a
// causal depthwise convolution of K taps (T_ij = C_i K_{i-j} B_j, a banded Toeplitz operator):
//   y = W_out (C * conv_K(B * x~))
// Its inference cache is the last K - 1 inputs of the convolution: (K - 1) * d values.
#include "model/liv.hpp"

namespace star::model {

LivBuilder gated_conv_builder();

}  // namespace star::model
