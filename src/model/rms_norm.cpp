#include "model/rms_norm.hpp"

namespace star::model {

RMSNormImpl::RMSNormImpl(int64_t width, double eps) : eps_(eps) {
  gain_ = register_parameter("gain", torch::ones({width}));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
  auto xf = x.to(torch::kFloat32);
  auto normed = xf * torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps_);
  return (normed * gain_).to(x.scalar_type());
}

}  // namespace star::model
