#include "model/swiglu.hpp"

#include "model/derived_sizes.hpp"
#include "model/ops/aligned_gated_mlp.hpp"
#include "model/projection_featurizer.hpp"

namespace star::model {

namespace {

class GatedMlpImpl : public LivImpl {
 public:
  GatedMlpImpl(const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      : gate_up_(std::dynamic_pointer_cast<torch::nn::LinearImpl>(featurizer)),
        gate_(plan.spec.op.nonlinearity),
        backend_(config.kernels) {
    down_ = register_module(
        "down", torch::nn::Linear(torch::nn::LinearOptions(gated_mlp_hidden_width(config, plan.spec), config.width).bias(false)));
  }
  torch::Tensor forward(const torch::Tensor& x, FeatureStore&) override {
    // [B, T, d] -> [B, T, 2h] -> [B, T, h] -> [B, T, d]. On a GPU with h padded to aligned GEMMs;
    // on the CPU as it is (no such penalty there, and the CPU results stay bit for bit).
    return aligned_gated_mlp(x, gate_up_->weight, down_->weight, gate_, backend_, x.is_cuda() ? kGemmAlignment : 1);
  }
  int64_t cache_bytes(int64_t, int64_t) const override { return 0; }  // memoryless
  torch::Tensor prefill(const torch::Tensor& x, FeatureStore& features, LivCache&) override { return forward(x, features); }
  torch::Tensor decode(const torch::Tensor& x, int64_t, FeatureStore& features, LivCache&) override {
    return forward(x, features);
  }

 private:
  std::shared_ptr<torch::nn::LinearImpl> gate_up_;  // registered once by the backbone, shared
  int gate_;  // the nonlinearity of the gate
  KernelBackend backend_;
  torch::nn::Linear down_{nullptr};
};

}  // namespace

LivBuilder gated_mlp_builder() {
  return projection_featurizer_builder<GatedMlpImpl>(
      [](const ModelConfig& c, const genome::OperatorSpec& spec) { return 2 * gated_mlp_hidden_width(c, spec); });
}

}  // namespace star::model
