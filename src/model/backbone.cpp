#include "model/backbone.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "genome/sharing.hpp"
#include "model/cost_estimate.hpp"

namespace star::model {

BackboneImpl::BackboneImpl(const genome::Genome& genome, const ModelConfig& config)
    : genome_(genome), config_(config), kernels_(config.kernels) {
  const int depth = static_cast<int>(genome.livs.size());
  const auto fs_owner = genome::featurizer_owner(genome);
  const auto fg_owner = genome::feature_group_owner(genome);

  embedding_ = register_module("embedding", torch::nn::Embedding(config.vocab_size, config.width));
  torch::nn::init::normal_(embedding_->weight, 0.0, config.embedding_init_std);

  // A shared featurizer must serve every LIV that uses it.
  std::vector<FeaturizerNeeds> needs(depth);
  for (int i = 0; i < depth; ++i)
    if (fg_owner[i] == i) needs[fs_owner[i]].own_feature_groups = true;

  featurizers_.resize(depth);
  blocks_ = genome::blocks_of(genome);
  norms_.assign(depth, RMSNorm{nullptr});
  mixers_.assign(depth, PathMixer{nullptr});
  routers_.assign(depth, LtcRouter{nullptr});
  for (const auto& b : blocks_) {
    const std::string at = std::to_string(b.first);
    norms_[b.first] = register_module("norm" + at, RMSNorm(config.width));
    if (b.paths > 1) mixers_[b.first] = register_module("mixer" + at, PathMixer(config.width, b.paths, b.mixer));
    if (b.routed) routers_[b.first] = register_module("router" + at, LtcRouter(config.width));
  }
  for (int i = 0; i < depth; ++i) {
    const LivPlan plan{i, genome.livs[i], fs_owner[i], fg_owner[i], genome::operator_for(genome, genome.livs[i].cls)};
    plans_.push_back(plan);
    const LivBuilder builder = liv_builder(plan.gene.cls, plan.spec);
    if (plan.featurizer_owner == i)
      featurizers_[i] =
          register_module("featurizer" + std::to_string(i), builder.make_featurizer(config, plan.spec, needs[i]));
    livs_.push_back(register_module("liv" + std::to_string(i),
                                    builder.make_liv(config, plan, featurizers_[plan.featurizer_owner])));
  }
  final_norm_ = register_module("final_norm", RMSNorm(config.width));
}

const torch::nn::Module* BackboneImpl::owned_featurizer(int i) const { return featurizers_.at(i).get(); }

template <class Mix>
torch::Tensor BackboneImpl::run(const torch::Tensor& tokens, Mix mix, int64_t first) {
  auto h = embedding_->forward(tokens);  // [B, T, d]
  FeatureStore features;
  // x: the normed input of the next LIV, or of the head. Each residual add goes with the norm
  // after it: fused on the Kokkos path, an add then rms_norm on the torch path.
  auto x = (blocks_.empty() ? final_norm_ : norms_[blocks_.front().first])->forward(h);
  torch::Tensor route;  // the routing state, carried from routed block to routed block
  if (collect_routing_) count_macs(tokens);
  for (size_t b = 0; b < blocks_.size(); ++b) {
    const auto& block = blocks_[b];
    auto& next_norm = b + 1 < blocks_.size() ? norms_[blocks_[b + 1].first] : final_norm_;
    torch::Tensor y;
    if (block.paths == 1) {
      y = mix(block.first, x, features);
    } else {  // the paths in order, so a later one may use an earlier one's feature groups
      std::vector<torch::Tensor> outputs;
      for (int p = 0; p < block.paths; ++p) outputs.push_back(mix(block.first + p, x, features));
      y = mixers_[block.first]->forward(outputs, x);
    }
    if (block.routed) y = routed(block.first, route, x, y);
    auto next = next_norm->add_and_forward(h, y, kernels_);
    h = next.h;
    x = next.y;
  }
  if (first > 0) x = x.narrow(1, first, x.size(1) - first);
  return torch::matmul(x, embedding_->weight.t());  // tied head
}

torch::Tensor BackboneImpl::routed(int first, torch::Tensor& route, const torch::Tensor& x, const torch::Tensor& y) {
  auto [state, gate] = routers_[first]->forward(route, x);
  route = state;
  if (collect_routing_) {
    torch::NoGradGuard no_grad;
    const auto below = (gate < kSkipThreshold).sum().item<int64_t>();
    routing_stats_.gate_sum += gate.sum().item<double>();
    routing_stats_.gates += gate.numel();
    routing_stats_.below += below;
    routing_stats_.skipped_macs += static_cast<double>(below) * block_macs_[first];
  }
  if (skip_gates_) gate = gate * (gate >= kSkipThreshold).to(gate.scalar_type());
  return y * gate.to(y.scalar_type());
}

void BackboneImpl::count_macs(const torch::Tensor& tokens) {
  const int64_t T = tokens.size(1);
  if (T != macs_length_) {  // each block's cost at this length, and the whole model's
    const auto per_liv = forward_macs_per_liv(genome_, config_, T);
    block_macs_.assign(per_liv.size(), 0.0);
    for (const auto& b : blocks_)
      for (int p = 0; p < b.paths; ++p) block_macs_[b.first] += per_liv[static_cast<size_t>(b.first + p)];
    model_macs_ = training_flops_per_token(genome_, config_, T) / 6;
    macs_length_ = T;
  }
  routing_stats_.tokens += tokens.numel();
  routing_stats_.model_macs += static_cast<double>(tokens.numel()) * model_macs_;
}

void BackboneImpl::collect_routing(bool on) {
  collect_routing_ = on;
  routing_stats_ = {};
}

torch::Tensor BackboneImpl::forward(const torch::Tensor& tokens) {
  return run(tokens, [&](size_t i, const torch::Tensor& x, FeatureStore& features) { return livs_[i]->forward(x, features); });
}

torch::Tensor BackboneImpl::prefill(const torch::Tensor& tokens, InferenceCache& cache) {
  TORCH_CHECK(cache.tokens == 0, "prefill: the cache already holds ", cache.tokens, " tokens per sequence");
  torch::NoGradGuard no_grad;
  cache.livs.assign(livs_.size(), LivCache{});
  for (auto& c : cache.livs) c.capacity = cache.capacity;
  auto logits = run(
      tokens,
      [&](size_t i, const torch::Tensor& x, FeatureStore& features) { return livs_[i]->prefill(x, features, cache.livs[i]); },
      tokens.size(1) - 1);
  cache.tokens = tokens.size(1);
  return logits;
}

torch::Tensor BackboneImpl::decode(const torch::Tensor& tokens, InferenceCache& cache) {
  TORCH_CHECK(tokens.dim() == 2 && tokens.size(1) == 1, "decode: expected one token per sequence [B, 1], got ",
              tokens.sizes());
  TORCH_CHECK(cache.livs.size() == livs_.size(), "decode: the cache was not filled by this model's prefill");
  torch::NoGradGuard no_grad;
  auto logits = run(tokens, [&](size_t i, const torch::Tensor& x, FeatureStore& features) {
    return livs_[i]->decode(x, cache.tokens, features, cache.livs[i]);
  });
  ++cache.tokens;
  return logits;
}

}  // namespace star::model
