#include "model/path_mixer.hpp"

#include <stdexcept>

namespace star::model {

PathMixerImpl::PathMixerImpl(int64_t width, int64_t paths, genome::Mixer kind) : kind_(kind) {
  if (kind == genome::Mixer::scalars) {
    scores_ = register_parameter("scores", torch::zeros({paths}));
  } else if (kind == genome::Mixer::token_gates) {
    gates_ = register_module("gates", torch::nn::Linear(width, paths));
    torch::NoGradGuard no_grad;
    gates_->weight.zero_();
    gates_->bias.zero_();
  } else {
    throw std::invalid_argument("a path mixer needs scalars or token gates");
  }
}

torch::Tensor PathMixerImpl::forward(const std::vector<torch::Tensor>& outputs, const torch::Tensor& x) {
  const auto stacked = torch::stack(outputs, -1);  // [B, T, d, k]
  if (kind_ == genome::Mixer::scalars) return (stacked * torch::softmax(scores_, 0).to(stacked.scalar_type())).sum(-1);
  const auto weights = torch::softmax(gates_->forward(x).to(torch::kFloat32), -1).to(stacked.scalar_type());  // [B, T, k]
  return (stacked * weights.unsqueeze(2)).sum(-1);
}

}  // namespace star::model
