#pragma once
// Rec-2's computation of the elementwise linear recurrence h_t = a_t * h_{t-1} + x_t (h_{-1} = 0):
// a chunked parallel scan in plain LibTorch. The sequence is cut into chunks of L tokens; every
// chunk is scanned from a zero state at once (L sequential steps over all chunks together), the
// chunks' end states are carried across chunks by a log-step scan, and each chunk adds its
// incoming state times the running product of its coefficients.
#include <torch/torch.h>

namespace star::model {

// a, x: [B, T, C] -> h: [B, T, C]; chunk: L, tokens per chunk.
torch::Tensor chunked_linear_scan(const torch::Tensor& a, const torch::Tensor& x, int64_t chunk);

}  // namespace star::model
