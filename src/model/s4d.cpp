#include <cmath>
#include <utility>
#include <vector>

#include "model/derived_sizes.hpp"
#include "model/monarch.hpp"
#include "model/ops/fft_conv.hpp"
#include "model/projection_featurizer.hpp"
#include "model/state_space.hpp"

namespace star::model {
namespace {

bool monarch(const genome::OperatorSpec& spec) {
  return !spec.groups.empty() && spec.groups[0].channel_mixing == genome::kMonarchProjection;
}

// The featurizer, d -> 2d (the SSM's input u and its gate g): one dense projection, or two
// Monarch matrices.
torch::Tensor featurize(const std::shared_ptr<torch::nn::Module>& featurizer, const torch::Tensor& x) {
  if (auto* dense = dynamic_cast<torch::nn::LinearImpl*>(featurizer.get())) return dense->forward(x);
  return dynamic_cast<MonarchImpl&>(*featurizer).forward(x);
}

class S4dImpl : public LivImpl {
 public:
  S4dImpl(const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      : in_proj_(std::move(featurizer)), width_(config.width) {
    const int64_t d = width_, N = kStateSpaceSize;
    log_neg_a_ = register_parameter("log_neg_a", s4d_real_log_neg_a(d));
    c_ = register_parameter("c", torch::randn({d, N}) / std::sqrt(static_cast<double>(N)));
    log_dt_ = register_parameter("log_dt", torch::empty({d}).uniform_(std::log(1e-3), std::log(1e-1)));
    skip_ = register_parameter("skip", torch::ones({d}));
    if (monarch(plan.spec)) out_ = register_module("out", Monarch(d, 1));
    else out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(d, d).bias(false)));
  }

  torch::Tensor forward(const torch::Tensor& x, FeatureStore&) override {
    return convolved(featurize(in_proj_, x).chunk(2, -1));
  }

  // The state after the prompt, s_n = sum_j e^{(T - 1 - j) dt A_n} u_j per channel ([B, d, N], fp32):
  // y_t = sum_n W_n s_n(t) is the convolution by the kernel.
  torch::Tensor prefill(const torch::Tensor& x, FeatureStore&, LivCache& cache) override {
    const int64_t T = x.size(1);
    const auto ug = featurize(in_proj_, x).chunk(2, -1);
    const auto [dt_a, weight] = discretised();
    auto lags = (T - 1) - torch::arange(T, dt_a.options());                     // [T]
    auto powers = torch::exp(dt_a.unsqueeze(-1) * lags);                        // [d, N, T]
    cache.state["state"] = torch::einsum("dnt,btd->bdn", {powers, ug[0].to(torch::kFloat32)});
    return convolved(ug);
  }

  torch::Tensor decode(const torch::Tensor& x, int64_t, FeatureStore&, LivCache& cache) override {
    auto ug = featurize(in_proj_, x).chunk(2, -1);  // 2 x [B, 1, d]
    const auto [dt_a, weight] = discretised();
    auto& s = cache.state.at("state");  // [B, d, N]
    s.mul_(torch::exp(dt_a)).add_(ug[0].to(torch::kFloat32).squeeze(1).unsqueeze(-1));
    auto mixed = (weight * s).sum(-1).unsqueeze(1) + skip_ * ug[0];  // [B, 1, d]
    return featurize(out_, torch::silu(ug[1]) * mixed.to(ug[1].scalar_type()));
  }
  int64_t cache_bytes(int64_t, int64_t bytes_per_value) const override {
    return width_ * kStateSpaceSize * bytes_per_value;
  }

 private:
  // The forward pass from the featurizer's u and g, [B, T, d] each.
  torch::Tensor convolved(const std::vector<torch::Tensor>& ug) {
    const int64_t T = ug[0].size(1);
    auto mixed = fft_causal_conv(ug[0], kernel(T)) + skip_ * ug[0];  // the kernel stays fp32 (x may be bf16)
    return featurize(out_, torch::silu(ug[1]) * mixed);
  }

  // The zero-order hold: dt A, and the weight W = C (e^{dt A} - 1) / A of each state (B = 1 folded
  // in), [d, N] each.
  std::pair<torch::Tensor, torch::Tensor> discretised() const {
    auto a = -torch::exp(log_neg_a_);                         // [d, N]
    auto dt_a = torch::exp(log_dt_).unsqueeze(1) * a;         // [d, N]
    return {dt_a, c_ * (torch::exp(dt_a) - 1) / a};
  }
  // The SSM's impulse response over T lags: [d, T].
  torch::Tensor kernel(int64_t T) const {
    const auto [dt_a, weight] = discretised();
    auto lags = torch::arange(T, dt_a.options());             // [T]
    auto powers = torch::exp(dt_a.unsqueeze(-1) * lags);      // [d, N, T]
    return (weight.unsqueeze(-1) * powers).sum(1);
  }

  std::shared_ptr<torch::nn::Module> in_proj_;  // registered once by the backbone, shared
  int64_t width_;
  torch::Tensor log_neg_a_, c_, log_dt_, skip_;
  std::shared_ptr<torch::nn::Module> out_;  // dense, or Monarch (S4-Monarch)
};

}  // namespace

torch::Tensor s4d_real_log_neg_a(int64_t width) {
  return torch::log(torch::arange(1, kStateSpaceSize + 1, torch::kFloat32)).repeat({width, 1});
}

LivBuilder s4d_builder() {
  // The dense projection's builder, with the featurizer made of Monarch matrices where the spec
  // asks for them (S4-Monarch).
  auto b = projection_featurizer_builder<S4dImpl>([](const ModelConfig& c, const genome::OperatorSpec&) { return 2 * c.width; });
  b.make_featurizer = [dense = b.make_featurizer](const ModelConfig& config, const genome::OperatorSpec& spec,
                                                  const FeaturizerNeeds& needs) -> std::shared_ptr<torch::nn::Module> {
    if (monarch(spec)) return Monarch(config.width, 2).ptr();
    return dense(config, spec, needs);
  };
  return b;
}

}  // namespace star::model
