#include "model/attention.hpp"

#include <cmath>
#include <limits>

#include <torch/version.h>

#include "model/rotary.hpp"

namespace star::model {
namespace {

// The shared part of attention LIVs: projections to queries, and to keys and values when some
// LIV using this featurizer computes its own.
class AttentionFeaturizerImpl : public torch::nn::Module {
 public:
  AttentionFeaturizerImpl(int64_t width, bool with_keys_values) {
    auto linear = [&](const char* name) {
      return register_module(name, torch::nn::Linear(torch::nn::LinearOptions(width, width).bias(false)));
    };
    query = linear("query");
    if (with_keys_values) {
      key = linear("key");
      value = linear("value");
    }
  }
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};
};

class AttentionImpl : public LivImpl {
 public:
  AttentionImpl(const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      : featurizer_(std::dynamic_pointer_cast<AttentionFeaturizerImpl>(featurizer)),
        plan_(plan),
        width_(config.width),
        heads_(config.heads),
        rope_base_(config.rope_base) {
    TORCH_CHECK(config.width % config.heads == 0, "attention: width ", config.width,
                " is not divisible by heads ", config.heads);
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(width_, width_).bias(false)));
  }

  torch::Tensor forward(const torch::Tensor& x, FeatureStore& features) override {
    const int64_t B = x.size(0), T = x.size(1);
    auto split_heads = [&](const torch::Tensor& t) {  // [B, T, d] -> [B, H, T, Dh]
      return t.view({B, T, heads_, width_ / heads_}).transpose(1, 2);
    };
    auto q = apply_rotary(split_heads(featurizer_->query->forward(x)), rope_base_);
    torch::Tensor k, v;
    if (plan_.borrows_features()) {
      auto& kv = features.at(plan_.feature_group_owner);
      k = kv[0];
      v = kv[1];
    } else {
      k = apply_rotary(split_heads(featurizer_->key->forward(x)), rope_base_);
      v = split_heads(featurizer_->value->forward(x));
      features[plan_.index] = {k, v};
    }
    auto y = causal_attention(q, k, v).transpose(1, 2).reshape({B, T, width_});
    return out_->forward(y);
  }

  int64_t cache_bytes(int64_t seq_len, int64_t bytes_per_value) const override {
    return plan_.borrows_features() ? 0 : 2 * seq_len * width_ * bytes_per_value;
  }

 private:
  std::shared_ptr<AttentionFeaturizerImpl> featurizer_;  // registered once by the backbone, shared
  LivPlan plan_;
  int64_t width_, heads_;
  double rope_base_;
  torch::nn::Linear out_{nullptr};
};

}  // namespace

torch::Tensor causal_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v) {
#if TORCH_VERSION_MAJOR >= 2
  return at::scaled_dot_product_attention(q, k, v, /*attn_mask=*/{}, /*dropout_p=*/0.0, /*is_causal=*/true);
#else
  const int64_t T = q.size(2);
  auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(q.size(3)));
  auto future = torch::ones({T, T}, torch::TensorOptions().dtype(torch::kBool).device(q.device())).triu(1);
  scores = scores.masked_fill(future, -std::numeric_limits<float>::infinity());
  return torch::matmul(torch::softmax(scores, -1), v);
#endif
}

LivBuilder attention_builder() {
  LivBuilder b;
  b.make_featurizer = [](const ModelConfig& config, const FeaturizerNeeds& needs) -> std::shared_ptr<torch::nn::Module> {
    return std::make_shared<AttentionFeaturizerImpl>(config.width, needs.own_feature_groups);
  };
  b.make_liv = [](const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      -> std::shared_ptr<LivImpl> { return std::make_shared<AttentionImpl>(config, plan, std::move(featurizer)); };
  return b;
}

}  // namespace star::model
