#include "model/swiglu.hpp"

#include <cmath>

namespace star::model {
namespace {

int64_t hidden_width(const ModelConfig& config) {
  return std::max<int64_t>(1, std::llround(config.mlp_ratio * static_cast<double>(config.width)));
}

class SwiGluImpl : public LivImpl {
 public:
  SwiGluImpl(const ModelConfig& config, std::shared_ptr<torch::nn::Module> featurizer)
      : gate_up_(std::dynamic_pointer_cast<torch::nn::LinearImpl>(featurizer)) {
    down_ = register_module("down", torch::nn::Linear(torch::nn::LinearOptions(hidden_width(config), config.width).bias(false)));
  }
  torch::Tensor forward(const torch::Tensor& x, FeatureStore&) override {
    auto gate_up = gate_up_->forward(x).chunk(2, -1);  // 2 x [B, T, h]
    return down_->forward(torch::silu(gate_up[0]) * gate_up[1]);
  }
  int64_t cache_bytes(int64_t, int64_t) const override { return 0; }  // memoryless

 private:
  std::shared_ptr<torch::nn::LinearImpl> gate_up_;  // registered once by the backbone, shared
  torch::nn::Linear down_{nullptr};
};

}  // namespace

LivBuilder swiglu_builder() {
  LivBuilder b;
  b.make_featurizer = [](const ModelConfig& config, const FeaturizerNeeds&) -> std::shared_ptr<torch::nn::Module> {
    return torch::nn::Linear(torch::nn::LinearOptions(config.width, 2 * hidden_width(config)).bias(false)).ptr();
  };
  b.make_liv = [](const ModelConfig& config, const LivPlan&, std::shared_ptr<torch::nn::Module> featurizer)
      -> std::shared_ptr<LivImpl> { return std::make_shared<SwiGluImpl>(config, std::move(featurizer)); };
  return b;
}

}  // namespace star::model
