#include "model/backbone.hpp"

#include <string>
#include <vector>

#include "genome/sharing.hpp"

namespace star::model {

BackboneImpl::BackboneImpl(const genome::Genome& genome, const ModelConfig& config) : kernels_(config.kernels) {
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
  for (const auto& b : blocks_) {
    const std::string at = std::to_string(b.first);
    norms_[b.first] = register_module("norm" + at, RMSNorm(config.width));
    if (b.paths > 1) mixers_[b.first] = register_module("mixer" + at, PathMixer(config.width, b.paths, b.mixer));
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
    auto next = next_norm->add_and_forward(h, y, kernels_);
    h = next.h;
    x = next.y;
  }
  if (first > 0) x = x.narrow(1, first, x.size(1) - first);
  return torch::matmul(x, embedding_->weight.t());  // tied head
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
