#include "model/gated_recurrence.hpp"

#include "model/linear_scan.hpp"

namespace star::model {
namespace {

class GatedRecurrenceImpl : public LivImpl {
 public:
  GatedRecurrenceImpl(const ModelConfig& config, std::shared_ptr<torch::nn::Module> featurizer)
      : in_proj_(std::dynamic_pointer_cast<torch::nn::LinearImpl>(featurizer)),
        width_(config.width),
        backend_(config.kernels) {
    // Forget-gate biases spread over [2, 4.5]: memories from ~8 to ~90 tokens at the start.
    forget_bias_ = register_parameter("forget_bias", torch::linspace(2.0, 4.5, width_));
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(width_, width_).bias(false)));
  }
  torch::Tensor forward(const torch::Tensor& x, FeatureStore&) override {
    auto fvo = in_proj_->forward(x).chunk(3, -1);  // 3 x [B, T, d]
    auto a = torch::sigmoid(fvo[0] + forget_bias_);
    auto h = linear_scan(a, (1 - a) * fvo[1], backend_);
    return out_->forward(torch::silu(fvo[2]) * h);
  }
  int64_t cache_bytes(int64_t, int64_t bytes_per_value) const override { return width_ * bytes_per_value; }

 private:
  std::shared_ptr<torch::nn::LinearImpl> in_proj_;  // registered once by the backbone, shared
  int64_t width_;
  KernelBackend backend_;
  torch::Tensor forget_bias_;  // [d]
  torch::nn::Linear out_{nullptr};
};

}  // namespace

LivBuilder gated_recurrence_builder() { return three_group_projection_builder<GatedRecurrenceImpl>(); }

}  // namespace star::model
