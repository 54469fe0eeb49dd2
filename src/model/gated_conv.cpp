#include "model/gated_conv.hpp"

#include <cmath>

#include "model/ops/causal_conv.hpp"
#include "model/projection_featurizer.hpp"

namespace star::model {
namespace {

class GatedConvImpl : public LivImpl {
 public:
  GatedConvImpl(const ModelConfig& config, const LivPlan&, std::shared_ptr<torch::nn::Module> featurizer)
      : in_proj_(std::dynamic_pointer_cast<torch::nn::LinearImpl>(featurizer)),
        width_(config.width),
        taps_(config.conv_taps),
        backend_(config.kernels) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(taps_));
    filter_ = register_parameter("filter", torch::empty({width_, taps_}).uniform_(-bound, bound));
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(width_, width_).bias(false)));
  }
  torch::Tensor forward(const torch::Tensor& x, FeatureStore&) override {
    return out_->forward(gated_causal_conv1d(in_proj_->forward(x), filter_, backend_));  // c * conv(b * x)
  }
  // Both continue the convolution from its last K - 1 inputs (none before a prefill).
  torch::Tensor prefill(const torch::Tensor& x, FeatureStore&, LivCache& cache) override { return continued(x, cache); }
  torch::Tensor decode(const torch::Tensor& x, int64_t, FeatureStore&, LivCache& cache) override {
    return continued(x, cache);
  }
  int64_t cache_bytes(int64_t, int64_t bytes_per_value) const override {
    return (taps_ - 1) * width_ * bytes_per_value;
  }

 private:
  torch::Tensor continued(const torch::Tensor& x, LivCache& cache) {
    auto bcx = in_proj_->forward(x).chunk(3, -1);
    return out_->forward(bcx[1] * causal_conv1d_continued(bcx[0] * bcx[2], filter_, cache.state["history"]));
  }

  std::shared_ptr<torch::nn::LinearImpl> in_proj_;  // registered once by the backbone, shared
  int64_t width_, taps_;
  KernelBackend backend_;
  torch::Tensor filter_;  // [d, K]
  torch::nn::Linear out_{nullptr};
};

}  // namespace

LivBuilder gated_conv_builder() {
  return projection_featurizer_builder<GatedConvImpl>([](const ModelConfig& c, const genome::OperatorSpec&) { return 3 * c.width; });
}

}  // namespace star::model
