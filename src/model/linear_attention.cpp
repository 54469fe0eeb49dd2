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

  torch::Tensor forward(const torch::Tensor& x, FeatureStore& features) override {
    const int64_t B = x.size(0), T = x.size(1);
    auto split_heads = [&](const torch::Tensor& t) {  // [B, T, d] -> [B, H, T, Dh]
      return t.view({B, T, heads_, width_ / heads_}).transpose(1, 2);
    };
    auto q = feature_map(split_heads(featurizer_->queries(x)));
    const auto& kv = own_or_borrowed_features(plan_, features, [&]() -> std::vector<torch::Tensor> {
      return {feature_map(split_heads(featurizer_->keys(x))), split_heads(featurizer_->values(x))};
    });
    // Block-diagonal: chunks of kSparsityWindow tokens that carry no state to the next.
    auto y = carry_ ? causal_linear_attention(q, kv[0], kv[1], kLinearAttentionChunk)
                    : causal_linear_attention(q, kv[0], kv[1], kSparsityWindow, /*carry=*/false);
    y = y.transpose(1, 2).reshape({B, T, width_});
    return out_->forward(y);
  }

  int64_t cache_bytes(int64_t, int64_t bytes_per_value) const override {
    const int64_t head_width = width_ / heads_;
    const int64_t convolutions = featurizer_->convolution_cache_values(!plan_.borrows_features());
    return ((plan_.borrows_features() ? 0 : width_ * (head_width + 1)) + convolutions) * bytes_per_value;
  }

 private:
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
