#include <cmath>
#include <vector>

#include "model/derived_sizes.hpp"
#include "model/ops/linear_scan.hpp"
#include "model/projection_featurizer.hpp"
#include "model/state_space.hpp"

namespace star::model {
namespace {

class LiquidS4Impl : public LivImpl {
 public:
  LiquidS4Impl(const ModelConfig& config, const LivPlan&, std::shared_ptr<torch::nn::Module> featurizer)
      : in_proj_(std::dynamic_pointer_cast<torch::nn::LinearImpl>(featurizer)),
        width_(config.width),
        backend_(config.kernels) {
    const int64_t d = width_;
    log_neg_a_ = register_parameter("log_neg_a", s4d_real_log_neg_a(d));
    // Steps dt in [1e-3, 1e-1] at a zero input: the bias is softplus^-1(dt) = dt + log(1 - e^-dt).
    auto dt = torch::exp(torch::empty({d}).uniform_(std::log(1e-3), std::log(1e-1)));
    dt_bias_ = register_parameter("dt_bias", dt + torch::log(-torch::expm1(-dt)));
    skip_ = register_parameter("skip", torch::ones({d}));
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(d, d).bias(false)));
  }

  torch::Tensor forward(const torch::Tensor& x, FeatureStore&) override {
    auto step = transition(x);
    return readout(step, scanned(step));
  }
  // The state after the prompt, [B, 1, d N].
  torch::Tensor prefill(const torch::Tensor& x, FeatureStore&, LivCache& cache) override {
    auto step = transition(x);
    auto h = scanned(step);
    cache.state["state"] = h.narrow(1, x.size(1) - 1, 1).clone();
    return readout(step, h);
  }
  torch::Tensor decode(const torch::Tensor& x, int64_t, FeatureStore&, LivCache& cache) override {
    auto step = transition(x);
    auto& h = cache.state.at("state");
    h.mul_(step.decay).add_(step.input);
    return readout(step, h);
  }

  int64_t cache_bytes(int64_t, int64_t bytes_per_value) const override {
    return width_ * kStateSpaceSize * bytes_per_value;
  }

 private:
  // What the scan of x needs and what reads its states out: [B, T, ...] each.
  struct Transition {
    std::vector<torch::Tensor> parts;  // u, g, dt, B_t, C_t
    torch::Tensor decay, input;        // [B, T, d N]: h_t = decay_t * h_{t-1} + input_t
  };
  Transition transition(const torch::Tensor& x) const {
    const int64_t B = x.size(0), T = x.size(1), d = width_, N = kStateSpaceSize;
    Transition t;
    t.parts = in_proj_->forward(x).split_with_sizes({d, d, d, N, N}, -1);
    auto dt = torch::softplus(t.parts[2] + dt_bias_);                                    // [B, T, d]
    t.decay = torch::exp(dt.unsqueeze(-1) * -torch::exp(log_neg_a_)).reshape({B, T, d * N});
    t.input = ((dt * t.parts[0]).unsqueeze(-1) * t.parts[3].unsqueeze(2)).reshape({B, T, d * N});
    return t;
  }
  torch::Tensor scanned(const Transition& t) const { return linear_scan(t.decay, t.input, backend_); }
  // y = W_out (silu(g) * (C_t . h_t + D u)), h: [B, T, d N].
  torch::Tensor readout(const Transition& t, const torch::Tensor& h) {
    const auto& u = t.parts[0];
    auto states = h.view({u.size(0), u.size(1), width_, kStateSpaceSize});
    auto y = (states * t.parts[4].unsqueeze(2)).sum(-1) + skip_ * u;  // [B, T, d]
    return out_->forward(torch::silu(t.parts[1]) * y);
  }

  std::shared_ptr<torch::nn::LinearImpl> in_proj_;  // registered once by the backbone, shared
  int64_t width_;
  KernelBackend backend_;
  torch::Tensor log_neg_a_, dt_bias_, skip_;
  torch::nn::Linear out_{nullptr};
};

}  // namespace

LivBuilder liquid_s4_builder() {
  return projection_featurizer_builder<LiquidS4Impl>(
      [](const ModelConfig& c, const genome::OperatorSpec&) { return 3 * c.width + 2 * kStateSpaceSize; });
}

}  // namespace star::model
