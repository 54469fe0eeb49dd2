#include "model/linear_attention.hpp"

#include "model/derived_sizes.hpp"
#include "model/qkv_featurizer.hpp"

namespace star::model {
namespace {

torch::Tensor feature_map(const torch::Tensor& z) { return torch::elu(z) + 1; }

class LinearAttentionImpl : public LivImpl {
 public:
  LinearAttentionImpl(const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      : featurizer_(std::dynamic_pointer_cast<QkvFeaturizerImpl>(featurizer)),
        plan_(plan),
        width_(config.width),
        heads_(plan.spec.op.channel_mixing == genome::kMultiHead ? config.heads : 1),
        carry_(plan.spec.op.sparsity != genome::kBlockDiagonal) {
    TORCH_CHECK(width_ % heads_ == 0, "linear attention: width ", width_, " is not divisible by heads ", heads_);
    out_ = register_module("out", torch::nn::Linear(torch::nn::LinearOptions(width_, width_).bias(false)));
  }

  torch::Tensor forward(const torch::Tensor& x, FeatureStore& features) override { return mix(x, features, nullptr); }

  torch::Tensor prefill(const torch::Tensor& x, FeatureStore& features, LivCache& cache) override {
    auto y = mix(x, features, &cache);
    if (!plan_.borrows_features()) {
      // The state after the prompt: the sum over its tokens (with blocks, over the last block's).
      const auto& kv = features.at(plan_.index);
      const int64_t T = x.size(1), first = carry_ ? 0 : (T - 1) / kSparsityWindow * kSparsityWindow;
      auto k = kv[0].narrow(2, first, T - first), v = kv[1].narrow(2, first, T - first);
      cache.state["state"] = torch::matmul(k.transpose(-2, -1), v);  // [B, H, Dk, Dv]
      cache.state["normaliser"] = k.sum(2);                            // [B, H, Dk]
    }
    return y;
  }

  torch::Tensor decode(const torch::Tensor& x, int64_t position, FeatureStore& features, LivCache& cache) override {
    auto q = feature_map(split_heads(featurizer_->queries(x, &cache)));  // [B, H, 1, Dh]
    if (!plan_.borrows_features()) {
      auto k = feature_map(split_heads(featurizer_->keys(x, &cache))), v = split_heads(featurizer_->values(x, &cache));
      auto& state = cache.state.at("state");
      auto& normaliser = cache.state.at("normaliser");
      if (!carry_ && position % kSparsityWindow == 0) {  // a new block starts from an empty state
        state.zero_();
        normaliser.zero_();
      }
      state.add_(torch::matmul(k.transpose(-2, -1), v));
      normaliser.add_(k.squeeze(2));
      features[plan_.index] = {state, normaliser};
    }
    const auto& sz = features.at(plan_.feature_group_owner);
    auto numerator = torch::matmul(q, sz[0]);                                  // [B, H, 1, Dv]
    auto denominator = torch::matmul(q, sz[1].unsqueeze(-1));                  // [B, H, 1, 1]
    auto y = numerator / (denominator + 1e-6);
    return out_->forward(y.transpose(1, 2).reshape({x.size(0), 1, width_}));
  }

  int64_t cache_bytes(int64_t, int64_t bytes_per_value) const override {
    const int64_t head_width = width_ / heads_;
    const int64_t convolutions = featurizer_->convolution_cache_values(!plan_.borrows_features());
    return ((plan_.borrows_features() ? 0 : width_ * (head_width + 1)) + convolutions) * bytes_per_value;
  }

 private:
  // [B, T, d] -> [B, H, T, Dh]
  torch::Tensor split_heads(const torch::Tensor& t) const {
    return t.view({t.size(0), t.size(1), heads_, width_ / heads_}).transpose(1, 2);
  }

  // The forward pass; with `cache` (a prefill) the featurizer's convolutions leave their history there.
  torch::Tensor mix(const torch::Tensor& x, FeatureStore& features, LivCache* cache) {
    const int64_t B = x.size(0), T = x.size(1);
    auto q = feature_map(split_heads(featurizer_->queries(x, cache)));
    const auto& kv = own_or_borrowed_features(plan_, features, [&]() -> std::vector<torch::Tensor> {
      return {feature_map(split_heads(featurizer_->keys(x, cache))), split_heads(featurizer_->values(x, cache))};
    });
    // Block-diagonal: chunks of kSparsityWindow tokens that carry no state to the next.
    auto y = carry_ ? causal_linear_attention(q, kv[0], kv[1], kLinearAttentionChunk)
                    : causal_linear_attention(q, kv[0], kv[1], kSparsityWindow, /*carry=*/false);
    y = y.transpose(1, 2).reshape({B, T, width_});
    return out_->forward(y);
  }

  std::shared_ptr<QkvFeaturizerImpl> featurizer_;  // registered once by the backbone, shared
  LivPlan plan_;
  int64_t width_, heads_;
  bool carry_;
  torch::nn::Linear out_{nullptr};
};

// [B, H, T, D] -> [B, H, N, C, D], zero-padded to N C tokens (zero keys add nothing to a state).
torch::Tensor in_chunks(const torch::Tensor& t, int64_t chunk) {
  const int64_t T = t.size(2), N = (T + chunk - 1) / chunk;
  auto padded = torch::constant_pad_nd(t, {0, 0, 0, N * chunk - T});
  return padded.reshape({t.size(0), t.size(1), N, chunk, t.size(3)});
}

// Sum over the chunks before each chunk: [B, H, N, ...] -> same shape, chunk 0 gets zeros.
torch::Tensor exclusive_prefix_sum(const torch::Tensor& per_chunk) { return per_chunk.cumsum(2) - per_chunk; }

}  // namespace

torch::Tensor causal_linear_attention(const torch::Tensor& phi_q, const torch::Tensor& phi_k, const torch::Tensor& v,
                                      int64_t chunk, bool carry) {
  const int64_t T = phi_q.size(2);
  chunk = std::max<int64_t>(1, std::min(chunk, T));
  auto q = in_chunks(phi_q, chunk), k = in_chunks(phi_k, chunk), vc = in_chunks(v, chunk);  // [B, H, N, C, D]
  // Earlier chunks: their summed state S = sum phi(k_j) v_j^T [B, H, N, Dk, Dv] and normaliser z [B, H, N, Dk].
  auto state = torch::matmul(k.transpose(-2, -1), vc);
  auto normaliser = k.sum(3);
  // Without carry every chunk starts from an empty state.
  state = carry ? exclusive_prefix_sum(state) : torch::zeros_like(state);
  normaliser = carry ? exclusive_prefix_sum(normaliser) : torch::zeros_like(normaliser);
  auto numerator = torch::matmul(q, state);                               // [B, H, N, C, Dv]
  auto denominator = torch::matmul(q, normaliser.unsqueeze(-1)).squeeze(-1);  // [B, H, N, C]
  // This chunk: causal scores phi(q_i) . phi(k_j), j <= i, [B, H, N, C, C].
  auto scores = torch::matmul(q, k.transpose(-2, -1)).tril();
  numerator = numerator + torch::matmul(scores, vc);
  denominator = denominator + scores.sum(-1);
  auto y = numerator / (denominator.unsqueeze(-1) + 1e-6);
  return y.reshape({v.size(0), v.size(1), -1, v.size(3)}).narrow(2, 0, T);
}

LivBuilder linear_attention_builder() {
  LivBuilder b;
  b.make_featurizer = [](const ModelConfig& config, const genome::OperatorSpec& spec,
                         const FeaturizerNeeds& needs) -> std::shared_ptr<torch::nn::Module> {
    return std::make_shared<QkvFeaturizerImpl>(config, spec, config.width, needs.own_feature_groups);
  };
  b.make_liv = [](const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      -> std::shared_ptr<LivImpl> { return std::make_shared<LinearAttentionImpl>(config, plan, std::move(featurizer)); };
  return b;
}

}  // namespace star::model
