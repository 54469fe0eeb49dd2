#include "model/attention.hpp"

#include <cmath>
#include <limits>

#include <torch/version.h>

#include "model/derived_sizes.hpp"
#include "model/qkv_featurizer.hpp"
#include "model/ops/rotary.hpp"
#include "model/token_history.hpp"

namespace star::model {
namespace {

// Query heads: [model] heads with multi-head channel mixing, one head of width d with dense.
int64_t query_heads(const ModelConfig& config, const genome::OperatorSpec& spec) {
  return spec.op.channel_mixing == genome::kMultiHead ? config.heads : 1;
}
// Key-value heads: the query heads over the keys' repeat factor (SA-3: 4).
int64_t key_value_heads(const ModelConfig& config, const genome::OperatorSpec& spec) {
  return kv_heads_for(query_heads(config, spec), spec.groups.size() > 1 ? spec.groups[1].repeat : 1);
}

// Which keys each query sees, as SDPA's boolean mask ([T, T], true: attend), for a sparsity
// that masks more than causality; an undefined tensor when causality alone applies.
torch::Tensor sparsity_mask(int64_t T, int sparsity, const torch::Device& device) {
  if (sparsity == genome::kNoSparsity || T <= kSparsityWindow) return {};
  auto opts = torch::TensorOptions().dtype(torch::kInt64).device(device);
  auto i = torch::arange(T, opts).unsqueeze(1), j = torch::arange(T, opts).unsqueeze(0);
  auto visible = j <= i;
  if (sparsity == genome::kBanded) return visible & (i - j < kSparsityWindow);
  return visible & (i.div(kSparsityWindow, "floor") == j.div(kSparsityWindow, "floor"));
}

class AttentionImpl : public LivImpl {
 public:
  AttentionImpl(const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      : featurizer_(std::dynamic_pointer_cast<QkvFeaturizerImpl>(featurizer)),
        plan_(plan),
        width_(config.width),
        heads_(query_heads(config, plan.spec)),
        kv_heads_(key_value_heads(config, plan.spec)),
        sparsity_(plan.spec.op.sparsity),
        rope_base_(config.rope_base),
        backend_(config.kernels) {
    TORCH_CHECK(config.width % heads_ == 0, "attention: width ", config.width, " is not divisible by heads ", heads_);
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(width_, width_).bias(false)));
  }

  torch::Tensor forward(const torch::Tensor& x, FeatureStore& features) override {
    return attend(x, features, nullptr);
  }

  torch::Tensor prefill(const torch::Tensor& x, FeatureStore& features, LivCache& cache) override {
    auto y = attend(x, features, &cache);
    if (!plan_.borrows_features()) {  // the owner keeps the keys and values, the last window's with sparsity
      const auto& kv = features.at(plan_.index);
      cache.state["keys"] = token_history(kv[0], 2, window(), cache.capacity);
      cache.state["values"] = token_history(kv[1], 2, window(), cache.capacity);
    }
    return y;
  }

  torch::Tensor decode(const torch::Tensor& x, int64_t position, FeatureStore& features, LivCache& cache) override {
    const int64_t B = x.size(0), Dh = width_ / heads_;
    const auto qkv = featurized(x, &cache);
    auto q = apply_rotary_reference(split_heads(qkv[0], heads_), rope_base_, position);
    if (!plan_.borrows_features()) {
      auto& keys = cache.state.at("keys");
      auto& values = cache.state.at("values");
      append_token(keys, apply_rotary_reference(split_heads(qkv[1], kv_heads_), rope_base_, position), 2, position, window());
      append_token(values, split_heads(qkv[2], kv_heads_), 2, position, window());
      // The keys this token sees: every one so far, the band's, or its own block's (slots 0 to p mod w).
      const int64_t seen = sparsity_ == genome::kBlockDiagonal ? position % kSparsityWindow + 1
                                                               : filled_slots(position, window());
      features[plan_.index] = {keys.narrow(2, 0, seen), values.narrow(2, 0, seen)};
    }
    const auto& kv = features.at(plan_.feature_group_owner);
    // Each key-value head serves heads / Hkv query heads: [B, Hkv, g, Dh] against [B, Hkv, n, Dh].
    auto grouped = q.reshape({B, kv_heads_, heads_ / kv_heads_, Dh});
    auto scores = torch::matmul(grouped, kv[0].transpose(-2, -1)) / std::sqrt(static_cast<double>(Dh));
    auto y = torch::matmul(torch::softmax(scores.to(torch::kFloat32), -1).to(kv[1].scalar_type()), kv[1]);
    return out_->forward(y.reshape({B, 1, width_}));
  }

  int64_t cache_bytes(int64_t seq_len, int64_t bytes_per_value) const override {
    // Banded keeps the last kSparsityWindow keys; block-diagonal at most a block's.
    const int64_t kept = sparsity_ == genome::kNoSparsity ? seq_len : std::min(seq_len, kSparsityWindow);
    const int64_t convolutions = featurizer_->convolution_cache_values(!plan_.borrows_features());
    return ((plan_.borrows_features() ? 0 : 2 * kept * kv_width()) + convolutions) * bytes_per_value;
  }

 private:
  int64_t kv_width() const { return kv_heads_ * (width_ / heads_); }
  // Tokens of keys a sequence keeps: all (0), or a window with a band or blocks.
  int64_t window() const { return sparsity_ == genome::kNoSparsity ? 0 : kSparsityWindow; }

  // [B, T, heads Dh] -> [B, heads, T, Dh]
  torch::Tensor split_heads(const torch::Tensor& t, int64_t heads) const {
    return t.view({t.size(0), t.size(1), heads, width_ / heads_}).transpose(1, 2);
  }
  // Queries, and keys and values where this LIV computes its own (all three from one product);
  // `cache`: incremental inference, where the featurizer's convolutions keep their history.
  std::array<torch::Tensor, 3> featurized(const torch::Tensor& x, LivCache* cache) {
    if (plan_.borrows_features()) return {featurizer_->queries(x, cache), {}, {}};
    return featurizer_->queries_keys_values(x, cache);
  }

  // The forward pass; with `cache` (a prefill) the featurizer's convolutions leave their history there.
  torch::Tensor attend(const torch::Tensor& x, FeatureStore& features, LivCache* cache) {
    const int64_t B = x.size(0), T = x.size(1);
    torch::Tensor q;
    std::vector<torch::Tensor> own;  // [B, Hkv, T, Dh] keys and values: the cache
    // A plain featurizer's one product is rotated as it lies (its gradient then comes back as one
    // tensor); otherwise the features come apart (convolved or scaled) and are rotated apart.
    const auto plain = plan_.borrows_features() ? torch::Tensor() : featurizer_->plain_queries_keys_values(x);
    if (plain.defined()) {
      const auto rotated = rotary_queries_keys_values(plain, heads_, kv_heads_, rope_base_, backend_);
      q = rotated[0];
      own = {rotated[1], rotated[2]};
    } else {
      const auto qkv = featurized(x, cache);
      q = apply_rotary(split_heads(qkv[0], heads_), rope_base_, backend_);
      if (!plan_.borrows_features())
        own = {apply_rotary(split_heads(qkv[1], kv_heads_), rope_base_, backend_), split_heads(qkv[2], kv_heads_)};
    }
    const auto& kv = own_or_borrowed_features(plan_, features, [&] { return own; });
    auto y = causal_attention(q, kv[0], kv[1], mask_for(T, x.device())).transpose(1, 2).reshape({B, T, width_});
    return out_->forward(y);
  }
  // The sparsity mask for T tokens, made once per length and device (it is [T, T]: rebuilding it
  // every forward pass would cost more than a small attention).
  const torch::Tensor& mask_for(int64_t T, const torch::Device& device) {
    if (T != mask_length_ || device != mask_device_) {
      mask_ = sparsity_mask(T, sparsity_, device);
      mask_length_ = T;
      mask_device_ = device;
    }
    return mask_;
  }
  std::shared_ptr<QkvFeaturizerImpl> featurizer_;  // registered once by the backbone, shared
  LivPlan plan_;
  int64_t width_, heads_, kv_heads_;
  int sparsity_;
  torch::Tensor mask_;  // mask_for's, for mask_length_ tokens on mask_device_; undefined: causal only
  int64_t mask_length_ = -1;
  torch::Device mask_device_ = torch::kCPU;
  double rope_base_;
  KernelBackend backend_;  // runs the rotary embedding
  torch::nn::Linear out_{nullptr};
};

}  // namespace

torch::Tensor causal_attention(const torch::Tensor& q, const torch::Tensor& keys, const torch::Tensor& values,
                               const torch::Tensor& mask) {
  const int64_t group = q.size(1) / keys.size(1);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
  // SDPA takes grouped keys and values as they are (enable_gqa, LibTorch 2.5 on): no repeated
  // copies of them, forward or backward (0.24 ms a layer at 16 x 12 x 4096 x 64 with 3 key-value
  // heads on an H100, forward and backward, by cuDNN either way).
  if (group > 1 && !mask.defined())
    return at::scaled_dot_product_attention(q, keys, values, /*attn_mask=*/{}, /*dropout_p=*/0.0, /*is_causal=*/true,
                                            /*scale=*/c10::nullopt, /*enable_gqa=*/true);
#endif
  const auto k = group > 1 ? keys.repeat_interleave(group, 1) : keys;
  const auto v = group > 1 ? values.repeat_interleave(group, 1) : values;
#if TORCH_VERSION_MAJOR >= 2
  if (mask.defined()) return at::scaled_dot_product_attention(q, k, v, mask);
  return at::scaled_dot_product_attention(q, k, v, /*attn_mask=*/{}, /*dropout_p=*/0.0, /*is_causal=*/true);
#else
  const int64_t T = q.size(2);
  auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(q.size(3)));
  auto hidden = mask.defined() ? mask.logical_not()
                               : torch::ones({T, T}, torch::TensorOptions().dtype(torch::kBool).device(q.device())).triu(1);
  scores = scores.masked_fill(hidden, -std::numeric_limits<float>::infinity());
  return torch::matmul(torch::softmax(scores, -1), v);
#endif
}

LivBuilder attention_builder() {
  LivBuilder b;
  b.make_featurizer = [](const ModelConfig& config, const genome::OperatorSpec& spec,
                         const FeaturizerNeeds& needs) -> std::shared_ptr<torch::nn::Module> {
    const int64_t kv_width = key_value_heads(config, spec) * (config.width / query_heads(config, spec));
    return std::make_shared<QkvFeaturizerImpl>(config, spec, kv_width, needs.own_feature_groups);
  };
  b.make_liv = [](const ModelConfig& config, const LivPlan& plan,
                  std::shared_ptr<torch::nn::Module> featurizer) -> std::shared_ptr<LivImpl> {
    return std::make_shared<AttentionImpl>(config, plan, std::move(featurizer));
  };
  return b;
}

}  // namespace star::model
