#include "model/attention.hpp"

#include <cmath>
#include <limits>

#include <torch/version.h>

#include "model/derived_sizes.hpp"
#include "model/qkv_featurizer.hpp"
#include "model/rotary.hpp"

namespace star::model {
namespace {

class AttentionImpl : public LivImpl {
 public:
  AttentionImpl(const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer,
                int64_t kv_heads)
      : featurizer_(std::dynamic_pointer_cast<QkvFeaturizerImpl>(featurizer)),
        plan_(plan),
        width_(config.width),
        heads_(config.heads),
        kv_heads_(kv_heads),
        rope_base_(config.rope_base) {
    TORCH_CHECK(config.width % config.heads == 0, "attention: width ", config.width,
                " is not divisible by heads ", config.heads);
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(width_, width_).bias(false)));
  }

  torch::Tensor forward(const torch::Tensor& x, FeatureStore& features) override {
    const int64_t B = x.size(0), T = x.size(1);
    auto split_heads = [&](const torch::Tensor& t, int64_t heads) {  // [B, T, heads Dh] -> [B, heads, T, Dh]
      return t.view({B, T, heads, width_ / heads_}).transpose(1, 2);
    };
    auto q = apply_rotary(split_heads(featurizer_->query->forward(x), heads_), rope_base_);
    const auto& kv = own_or_borrowed_features(plan_, features, [&]() -> std::vector<torch::Tensor> {
      return {apply_rotary(split_heads(featurizer_->key->forward(x), kv_heads_), rope_base_),
              split_heads(featurizer_->value->forward(x), kv_heads_)};  // [B, Hkv, T, Dh] each: the cache
    });
    auto k = kv[0], v = kv[1];
    if (kv_heads_ != heads_) {  // grouped queries: each key-value head serves heads / Hkv query heads
      k = k.repeat_interleave(heads_ / kv_heads_, 1);
      v = v.repeat_interleave(heads_ / kv_heads_, 1);
    }
    auto y = causal_attention(q, k, v).transpose(1, 2).reshape({B, T, width_});
    return out_->forward(y);
  }

  int64_t cache_bytes(int64_t seq_len, int64_t bytes_per_value) const override {
    return plan_.borrows_features() ? 0 : 2 * seq_len * kv_width() * bytes_per_value;
  }

 private:
  int64_t kv_width() const { return kv_heads_ * (width_ / heads_); }
  std::shared_ptr<QkvFeaturizerImpl> featurizer_;  // registered once by the backbone, shared
  LivPlan plan_;
  int64_t width_, heads_, kv_heads_;
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

namespace {

// SA-1 when kv_heads_of gives every head its own keys and values, SA-3 when it groups them.
LivBuilder attention_builder_with(int64_t (*kv_heads_of)(int64_t heads)) {
  LivBuilder b;
  b.make_featurizer = [kv_heads_of](const ModelConfig& config,
                                    const FeaturizerNeeds& needs) -> std::shared_ptr<torch::nn::Module> {
    const int64_t kv_width = kv_heads_of(config.heads) * (config.width / config.heads);
    return std::make_shared<QkvFeaturizerImpl>(config.width, kv_width, needs.own_feature_groups);
  };
  b.make_liv = [kv_heads_of](const ModelConfig& config, const LivPlan& plan,
                             std::shared_ptr<torch::nn::Module> featurizer) -> std::shared_ptr<LivImpl> {
    return std::make_shared<AttentionImpl>(config, plan, std::move(featurizer), kv_heads_of(config.heads));
  };
  return b;
}

int64_t every_head(int64_t heads) { return heads; }

}  // namespace

LivBuilder attention_builder() { return attention_builder_with(every_head); }
LivBuilder grouped_query_attention_builder() { return attention_builder_with(grouped_kv_heads); }

}  // namespace star::model
