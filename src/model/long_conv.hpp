#pragma once
// GConv-2: Hyena's gated long convolution (Poli et al. 2023, order 2), T_ij = C_i K_{i-j} B_j
// with a filter as long as the sequence:
//   (B, C, v) = W_in x,   y = W_out (C * (K conv (B * v)))                 (all [B, T, d])
// The filter is implicit: a small MLP over sinusoidal features of the lag l (frequencies
// pi 2^-k, k < kFilterFrequencies; two sin-activated layers of kFilterHidden), times a decay
// window r_c exp(-r_c l) whose rates r_c are log-spaced over the channels from 1e-3 to 0.5 per
// token (fixed; the factor r_c bounds each channel's total filter weight). The features do not
// depend on T, so the filter of a prefix is the prefix of the filter. Applied by FFT (fft_conv.hpp).
// Featurizer (shareable): W_in [3d, d]. No feature groups to share.
// Parameters: 4 d^2 + filter MLP (2F Hf + Hf) + (Hf^2 + Hf) + Hf d.
// Cache: the convolution's input history B * v of every past token, T * d values. Operator
// genome option: banded sparsity ends the filter after kSparsityWindow lags, and the cache at
// that many tokens.
// Pure LibTorch (the kernels option does not apply).
#include "model/liv.hpp"

namespace star::model {

LivBuilder long_conv_builder();

}  // namespace star::model
