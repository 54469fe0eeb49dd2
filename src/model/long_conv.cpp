#include "model/long_conv.hpp"

#include <algorithm>
#include <cmath>

#include "model/derived_sizes.hpp"
#include "model/ops/fft_conv.hpp"
#include "model/projection_featurizer.hpp"
#include "model/token_history.hpp"

namespace star::model {
namespace {

constexpr double kPi = 3.14159265358979323846;

// The implicit filter: lag l -> K[:, l], [d] per lag.
class ImplicitFilterImpl : public torch::nn::Module {
 public:
  explicit ImplicitFilterImpl(int64_t width) {
    auto linear = [&](const char* name, int64_t in, int64_t out, bool bias) {
      return register_module(name, torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias)));
    };
    first_ = linear("first", 2 * kFilterFrequencies, kFilterHidden, true);
    second_ = linear("second", kFilterHidden, kFilterHidden, true);
    last_ = linear("last", kFilterHidden, width, false);
    rates_ = register_buffer("rates", torch::logspace(-3.0, std::log10(0.5), width));  // [d], per token
  }
  // -> [d, T]
  torch::Tensor forward(int64_t T) {
    auto lags = torch::arange(T, rates_.options()).unsqueeze(1);                                   // [T, 1]
    auto frequencies = kPi * torch::pow(2.0, -torch::arange(kFilterFrequencies, rates_.options()));  // [F]
    auto phase = lags * frequencies;  // [T, F]
    auto z = torch::cat({torch::sin(phase), torch::cos(phase)}, 1);                               // [T, 2F]
    auto shape = last_->forward(torch::sin(second_->forward(torch::sin(first_->forward(z)))));     // [T, d]
    auto window = rates_ * torch::exp(-lags * rates_);                                            // [T, d]
    return (shape * window).t();
  }

 private:
  torch::nn::Linear first_{nullptr}, second_{nullptr}, last_{nullptr};
  torch::Tensor rates_;
};
TORCH_MODULE(ImplicitFilter);

class LongConvImpl : public LivImpl {
 public:
  LongConvImpl(const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      : in_proj_(std::dynamic_pointer_cast<torch::nn::LinearImpl>(featurizer)),
        width_(config.width),
        banded_(plan.spec.op.sparsity == genome::kBanded) {
    filter_ = register_module("filter", ImplicitFilter(width_));
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(width_, width_).bias(false)));
  }
  torch::Tensor forward(const torch::Tensor& x, FeatureStore&) override { return convolve(x, nullptr); }
  torch::Tensor prefill(const torch::Tensor& x, FeatureStore&, LivCache& cache) override { return convolve(x, &cache); }

  torch::Tensor decode(const torch::Tensor& x, int64_t position, FeatureStore&, LivCache& cache) override {
    auto bcv = in_proj_->forward(x).chunk(3, -1);  // 3 x [B, 1, d]
    auto& inputs = cache.state.at("inputs");
    append_token(inputs, bcv[0] * bcv[2], 1, position, window());
    // Each kept input's lag: position - slot; in a band's ring, (position - slot) mod w.
    const int64_t n = filled_slots(position, window());
    auto lags = position - torch::arange(n, torch::TensorOptions().dtype(torch::kInt64).device(x.device()));
    if (banded_) lags = lags.remainder(kSparsityWindow);
    auto& taps = cache.derived["taps"];  // [d, L], L > every lag; past the capacity, twice as many as needed
    if (!taps.defined() || taps.size(1) <= position)
      taps = filter_->forward(banded_ ? kSparsityWindow : std::max(2 * (position + 1), cache.capacity));
    auto weights = taps.index_select(1, lags).t();  // [n, d]
    auto mixed = (inputs.narrow(1, 0, n).to(torch::kFloat32) * weights).sum(1, /*keepdim=*/true);
    return out_->forward(bcv[1] * mixed.to(bcv[1].scalar_type()));
  }

  int64_t cache_bytes(int64_t seq_len, int64_t bytes_per_value) const override {
    return (banded_ ? std::min(seq_len, kSparsityWindow) : seq_len) * width_ * bytes_per_value;
  }

 private:
  // Tokens of inputs a sequence keeps: all (0), or a band's.
  int64_t window() const { return banded_ ? kSparsityWindow : 0; }

  // The forward pass; with `cache` (a prefill) the inputs are kept there.
  torch::Tensor convolve(const torch::Tensor& x, LivCache* cache) {
    auto bcv = in_proj_->forward(x).chunk(3, -1);  // 3 x [B, T, d]
    auto filter = filter_->forward(x.size(1));  // [d, T]
    // Banded: the filter ends after kSparsityWindow lags (and so does the history it needs).
    if (banded_ && x.size(1) > kSparsityWindow)
      filter = filter * (torch::arange(x.size(1), filter.options()) < kSparsityWindow).to(filter.scalar_type());
    auto u = bcv[0] * bcv[2];
    if (cache) cache->state["inputs"] = token_history(u, 1, window(), cache->capacity);
    auto mixed = fft_causal_conv(u, filter);  // the filter stays fp32 (x may be bf16)
    return out_->forward(bcv[1] * mixed);
  }

  std::shared_ptr<torch::nn::LinearImpl> in_proj_;  // registered once by the backbone, shared
  int64_t width_;
  bool banded_;
  ImplicitFilter filter_{nullptr};
  torch::nn::Linear out_{nullptr};
};

}  // namespace

LivBuilder long_conv_builder() {
  return projection_featurizer_builder<LongConvImpl>([](const ModelConfig& c, const genome::OperatorSpec&) { return 3 * c.width; });
}

}  // namespace star::model
