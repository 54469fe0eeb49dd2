#include "model/ops/fft_conv.hpp"

namespace star::model {

torch::Tensor fft_causal_conv(const torch::Tensor& u, const torch::Tensor& filter) {
  const int64_t T = u.size(1), n = 2 * T;
  TORCH_CHECK(u.dim() == 3 && filter.dim() == 2 && filter.size(0) == u.size(2) && filter.size(1) == T,
              "fft_causal_conv: expected u [B, T, C] and filter [C, T], got ", u.sizes(), " and ", filter.sizes());
  auto u_hat = torch::fft::rfft(u.transpose(1, 2).to(torch::kFloat32), n, -1);  // [B, C, T + 1]
  auto k_hat = torch::fft::rfft(filter.to(torch::kFloat32), n, -1);              // [C, T + 1]
  auto y = torch::fft::irfft(u_hat * k_hat, n, -1).narrow(-1, 0, T);            // [B, C, T]
  return y.transpose(1, 2).to(u.scalar_type());
}

}  // namespace star::model
