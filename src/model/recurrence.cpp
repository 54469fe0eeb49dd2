#include "model/recurrence.hpp"

#include <utility>

#include "model/ops/chunked_scan.hpp"
#include "model/derived_sizes.hpp"
#include "model/ops/linear_scan.hpp"

namespace star::model {
namespace {

// Readout C (d -> d), and the state inputs a, B, v (d -> 3d) when some user computes its own state.
class RecurrenceFeaturizerImpl : public torch::nn::Module {
 public:
  RecurrenceFeaturizerImpl(int64_t width, bool with_state_inputs) {
    readout = register_module("readout", torch::nn::Linear(torch::nn::LinearOptions(width, width).bias(false)));
    if (with_state_inputs)
      state_inputs =
          register_module("state_inputs", torch::nn::Linear(torch::nn::LinearOptions(width, 3 * width).bias(false)));
  }
  torch::nn::Linear readout{nullptr}, state_inputs{nullptr};
};

enum class ScanAlgorithm { step_by_step, chunked };

class RecurrenceImpl : public LivImpl {
 public:
  RecurrenceImpl(const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer,
                 ScanAlgorithm algorithm)
      : featurizer_(std::dynamic_pointer_cast<RecurrenceFeaturizerImpl>(featurizer)),
        plan_(plan),
        width_(config.width),
        backend_(config.kernels),
        algorithm_(algorithm),
        block_diagonal_(plan.spec.op.sparsity == genome::kBlockDiagonal) {
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(width_, width_).bias(false)));
  }

  torch::Tensor forward(const torch::Tensor& x, FeatureStore& features) override {
    const auto& state = own_or_borrowed_features(plan_, features, [&]() -> std::vector<torch::Tensor> {
      auto [a, b] = state_inputs(x);
      // Block-diagonal: the state starts from zero at each block (no decay carries it across).
      if (block_diagonal_ && x.size(1) > kSparsityWindow)
        a = a * (torch::arange(x.size(1), a.options()).remainder(kSparsityWindow) != 0).to(a.scalar_type()).view({1, -1, 1});
      return {algorithm_ == ScanAlgorithm::chunked ? chunked_linear_scan(a, b, kScanChunk) : linear_scan(a, b, backend_)};
    });
    return out_->forward(featurizer_->readout->forward(x) * state[0]);
  }

  torch::Tensor prefill(const torch::Tensor& x, FeatureStore& features, LivCache& cache) override {
    auto y = forward(x, features);
    if (!plan_.borrows_features()) cache.state["state"] = features.at(plan_.index)[0].narrow(1, x.size(1) - 1, 1).clone();
    return y;
  }

  torch::Tensor decode(const torch::Tensor& x, int64_t position, FeatureStore& features, LivCache& cache) override {
    if (!plan_.borrows_features()) {
      auto [a, b] = state_inputs(x);
      auto& h = cache.state.at("state");  // [B, 1, d]
      if (block_diagonal_ && position % kSparsityWindow == 0) h.zero_();
      h.mul_(a).add_(b);
      features[plan_.index] = {h};
    }
    return out_->forward(featurizer_->readout->forward(x) * features.at(plan_.feature_group_owner)[0]);
  }

  int64_t cache_bytes(int64_t, int64_t bytes_per_value) const override {
    return plan_.borrows_features() ? 0 : width_ * bytes_per_value;
  }

 private:
  // The decay a and input b of the scan: [B, T, d] each.
  std::pair<torch::Tensor, torch::Tensor> state_inputs(const torch::Tensor& x) {
    auto abv = featurizer_->state_inputs->forward(x).chunk(3, -1);  // 3 x [B, T, d]
    return {torch::sigmoid(abv[0]), abv[1] * abv[2]};
  }

  std::shared_ptr<RecurrenceFeaturizerImpl> featurizer_;  // registered once by the backbone, shared
  LivPlan plan_;
  int64_t width_;
  KernelBackend backend_;
  ScanAlgorithm algorithm_;
  bool block_diagonal_;
  torch::nn::Linear out_{nullptr};
};

LivBuilder builder_for(ScanAlgorithm algorithm) {
  LivBuilder b;
  b.make_featurizer = [](const ModelConfig& config, const genome::OperatorSpec&,
                         const FeaturizerNeeds& needs) -> std::shared_ptr<torch::nn::Module> {
    return std::make_shared<RecurrenceFeaturizerImpl>(config.width, needs.own_feature_groups);
  };
  b.make_liv = [algorithm](const ModelConfig& config, const LivPlan& plan,
                           std::shared_ptr<torch::nn::Module> featurizer) -> std::shared_ptr<LivImpl> {
    return std::make_shared<RecurrenceImpl>(config, plan, std::move(featurizer), algorithm);
  };
  return b;
}

}  // namespace

LivBuilder recurrence_builder() { return builder_for(ScanAlgorithm::step_by_step); }
LivBuilder chunked_recurrence_builder() { return builder_for(ScanAlgorithm::chunked); }

}  // namespace star::model
