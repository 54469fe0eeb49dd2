#pragma once
// Causal long convolution by FFT, for filters as long as the sequence (GConv-2, S4-1): both
// signals are zero-padded to 2T, so the circular convolution of the FFT is the linear one and
// no output sees a later input. Computed in fp32 (cuFFT takes no bf16). Pure LibTorch.
#include <torch/torch.h>

namespace star::model {

// u: [B, T, C], filter: [C, T] (tap l weighs the input l steps back) -> [B, T, C],
// y[b, t, c] = sum_{l <= t} filter[c, l] * u[b, t - l, c].
torch::Tensor fft_causal_conv(const torch::Tensor& u, const torch::Tensor& filter);

}  // namespace star::model
