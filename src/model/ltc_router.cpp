#include "model/ltc_router.hpp"

namespace star::model {

LtcRouterImpl::LtcRouterImpl(int64_t width) {
  const int64_t m = kRoutingState;
  recurrent_ = register_module("recurrent", torch::nn::Linear(torch::nn::LinearOptions(m, m).bias(false)));
  input_ = register_module("input", torch::nn::Linear(width, m));
  gate_ = register_module("gate", torch::nn::Linear(m, 1));
  log_tau_ = register_parameter("log_tau", torch::zeros({m}));
  target_ = register_parameter("target", torch::ones({m}));
  torch::NoGradGuard no_grad;
  gate_->bias.fill_(3.0);
}

std::pair<torch::Tensor, torch::Tensor> LtcRouterImpl::forward(const torch::Tensor& state, const torch::Tensor& u) {
  auto drive = input_->forward(u).to(torch::kFloat32);  // U u + c
  auto x = state.defined() ? state : torch::zeros_like(drive);
  auto f = torch::sigmoid(recurrent_->forward(x) + drive);
  auto next = (x + f * target_) / (1 + torch::exp(-log_tau_) + f);
  return {next, torch::sigmoid(gate_->forward(next))};
}

}  // namespace star::model
