#pragma once
// RMSNorm (Zhang & Sennrich 2019): x / rms(x) * gain, over the last dimension.
#include <torch/torch.h>

namespace star::model {

class RMSNormImpl : public torch::nn::Module {
 public:
  explicit RMSNormImpl(int64_t width, double eps = 1e-6);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::Tensor gain_;
  double eps_;
};
TORCH_MODULE(RMSNorm);

}  // namespace star::model
