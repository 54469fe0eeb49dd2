#include "model/ops/chunked_scan.hpp"

#include <vector>

#include "model/ops/linear_scan.hpp"

namespace star::model {

torch::Tensor chunked_linear_scan(const torch::Tensor& a, const torch::Tensor& x, int64_t chunk) {
  const int64_t B = a.size(0), T = a.size(1), C = a.size(2);
  if (T == 0) return x.clone();
  const int64_t L = std::max<int64_t>(1, std::min(chunk, T)), N = (T + L - 1) / L;
  // Pad to N L tokens with a = 1, x = 0 (after the end: changes nothing before it). [B N, L, C]
  auto a_chunks = torch::constant_pad_nd(a, {0, 0, 0, N * L - T}, 1.0).reshape({B * N, L, C});
  auto x_chunks = torch::constant_pad_nd(x, {0, 0, 0, N * L - T}, 0.0).reshape({B * N, L, C});

  // Every chunk from a zero state, and the product of its coefficients so far: [B N, L, C] each.
  std::vector<torch::Tensor> local{x_chunks.select(1, 0)}, decay{a_chunks.select(1, 0)};
  for (int64_t l = 1; l < L; ++l) {
    local.push_back(a_chunks.select(1, l) * local.back() + x_chunks.select(1, l));
    decay.push_back(a_chunks.select(1, l) * decay.back());
  }
  // The state at the end of each chunk, carried across chunks: [B, N, C].
  auto ends = linear_scan_reference(decay.back().reshape({B, N, C}), local.back().reshape({B, N, C}));
  auto starts = torch::cat({torch::zeros({B, 1, C}, ends.options()), ends.narrow(1, 0, N - 1)}, 1);
  auto h = torch::stack(local, 1).view({B, N, L, C}) + torch::stack(decay, 1).view({B, N, L, C}) * starts.unsqueeze(2);
  return h.view({B, N * L, C}).narrow(1, 0, T);
}

}  // namespace star::model
