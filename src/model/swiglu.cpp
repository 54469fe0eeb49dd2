#include "model/swiglu.hpp"

#include <cmath>

#include "model/projection_featurizer.hpp"

namespace star::model {
namespace {

int64_t hidden_width(const ModelConfig& config) {
  return std::max<int64_t>(1, std::llround(config.mlp_ratio * static_cast<double>(config.width)));
}

enum class Gate { silu, gelu };

class GatedMlpImpl : public LivImpl {
 public:
  GatedMlpImpl(const ModelConfig& config, std::shared_ptr<torch::nn::Module> featurizer, Gate gate)
      : gate_up_(std::dynamic_pointer_cast<torch::nn::LinearImpl>(featurizer)), gate_(gate) {
    down_ = register_module("down", torch::nn::Linear(torch::nn::LinearOptions(hidden_width(config), config.width).bias(false)));
  }
  torch::Tensor forward(const torch::Tensor& x, FeatureStore&) override {
    auto gate_up = gate_up_->forward(x).chunk(2, -1);  // 2 x [B, T, h]
    auto gate = gate_ == Gate::silu ? torch::silu(gate_up[0]) : torch::gelu(gate_up[0]);
    return down_->forward(gate * gate_up[1]);
  }
  int64_t cache_bytes(int64_t, int64_t) const override { return 0; }  // memoryless

 private:
  std::shared_ptr<torch::nn::LinearImpl> gate_up_;  // registered once by the backbone, shared
  Gate gate_;
  torch::nn::Linear down_{nullptr};
};

LivBuilder gated_mlp_builder(Gate gate) {
  return projection_featurizer_builder<GatedMlpImpl>([](const ModelConfig& c) { return 2 * hidden_width(c); }, gate);
}

}  // namespace

LivBuilder swiglu_builder() { return gated_mlp_builder(Gate::silu); }
LivBuilder geglu_builder() { return gated_mlp_builder(Gate::gelu); }

}  // namespace star::model
