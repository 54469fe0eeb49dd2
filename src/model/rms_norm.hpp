#pragma once
// RMSNorm (Zhang & Sennrich 2019): x / rms(x) * gain, over the last dimension.
#include <torch/torch.h>

#include "model/ops/add_rms_norm.hpp"

namespace star::model {

class RMSNormImpl : public torch::nn::Module {
 public:
  explicit RMSNormImpl(int64_t width, double eps = 1e-6);
  torch::Tensor forward(const torch::Tensor& x);
  // (h + delta, the norm of that): the residual add before this norm, fused with it on the Kokkos
  // path (src/model/ops/add_rms_norm.hpp).
  AddedAndNormed add_and_forward(const torch::Tensor& h, const torch::Tensor& delta, KernelBackend backend);

 private:
  torch::Tensor gain_;
  double eps_;
};
TORCH_MODULE(RMSNorm);

}  // namespace star::model
