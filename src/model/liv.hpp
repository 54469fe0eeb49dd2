#pragma once
// The interface every LIV (linear input-varying operator) of the backbone implements, and what
// the builder hands each one. Each token-mixing family lives in its own file and registers its
// builder in liv_registry.cpp.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model_config.hpp"
#include "genome/genome.hpp"
#include "genome/operator_genome.hpp"
#include "model/inference_cache.hpp"

namespace star::model {

// Feature groups a LIV computed in this forward pass and that later LIVs of its feature-group
// sharing set reuse, keyed by the owner's LIV index (for attention: its keys and values). In a
// decode step, what the owner's cache holds after the step (attention: every kept key and value;
// a recurrence: its state), so that borrowers read the one copy.
using FeatureStore = std::map<int, std::vector<torch::Tensor>>;

// What the builder decided for one LIV from the genome.
struct LivPlan {
  int index = 0;                // position in the backbone, 0-based
  genome::LivGene gene;
  int featurizer_owner = 0;     // LIV whose featurizer weights this one uses (== index: its own)
  int feature_group_owner = 0;  // LIV whose feature groups this one reuses (== index: computes its own)
  genome::OperatorSpec spec;    // what it computes: its class's operator and featurizer genomes
  bool borrows_features() const { return feature_group_owner != index; }
};

// The feature groups of a LIV: made by compute() and kept for its sharing set when it owns them,
// the owner's when it borrows them.
template <class Compute>
const std::vector<torch::Tensor>& own_or_borrowed_features(const LivPlan& plan, FeatureStore& features,
                                                           Compute compute) {
  if (plan.borrows_features()) return features.at(plan.feature_group_owner);
  return features[plan.index] = compute();
}

// What a featurizer shared by several LIVs must provide: the union of its users' needs.
struct FeaturizerNeeds {
  bool own_feature_groups = false;  // some user computes its own shareable feature groups (attention: K, V)
};

class LivImpl : public torch::nn::Module {
 public:
  // x: [B, T, d], already normalised -> [B, T, d]. Reads and writes shared feature groups.
  virtual torch::Tensor forward(const torch::Tensor& x, FeatureStore& features) = 0;
  // Bytes this LIV keeps per sequence to generate token seq_len + 1 (its inference cache).
  virtual int64_t cache_bytes(int64_t seq_len, int64_t bytes_per_value) const = 0;

  // Incremental inference (model/inference_cache.hpp), without gradients.
  // prefill: x [B, T, d] of a prompt, `cache` empty -> forward(x); leaves in `cache` what the
  // token after the prompt needs.
  virtual torch::Tensor prefill(const torch::Tensor& x, FeatureStore& features, LivCache& cache) = 0;
  // decode: x [B, 1, d], the token at `position` (the tokens consumed before it) -> [B, 1, d], the
  // forward pass's output at that position; updates `cache`.
  virtual torch::Tensor decode(const torch::Tensor& x, int64_t position, FeatureStore& features, LivCache& cache) = 0;
};

// How one LIV is built: its featurizer (made once per featurizer-sharing set, by the owner) and
// the LIV itself, which receives that featurizer. Both read the operator spec for their options.
struct LivBuilder {
  std::function<std::shared_ptr<torch::nn::Module>(const ModelConfig&, const genome::OperatorSpec&,
                                                   const FeaturizerNeeds&)>
      make_featurizer;
  std::function<std::shared_ptr<LivImpl>(const ModelConfig&, const LivPlan&,
                                         std::shared_ptr<torch::nn::Module> featurizer)>
      make_liv;
};

// The builder of a LIV of class `class_id` computing `spec`: chosen by the spec's family
// (featurization and token mixing), wrapped as a differential pair when the class is a
// differential variant. Throws std::invalid_argument for an invalid spec, naming why.
LivBuilder liv_builder(int class_id, const genome::OperatorSpec& spec);

}  // namespace star::model
