#pragma once
// The featurizer of the attention-like LIVs (SA-1, SA-2, SA-3 and the operators of their
// families): projections of the input to queries (d -> d), and to keys and values
// (d -> kv_width each) when some LIV using this featurizer computes its own (LIVs that borrow
// keys and values need queries only). Where the featurizer genome gives a feature group
// token mixing 2, that group's projection is followed by a causal depthwise convolution of
// [model] conv_taps taps (as Mamba and Hyena convolve their projections before mixing); where
// it gives channel mixing 2, the group is the input scaled channel by channel (no projection).
#include <array>

#include <torch/torch.h>

#include "core/model_config.hpp"
#include "genome/operator_genome.hpp"
#include "model/inference_cache.hpp"

namespace star::model {

class QkvFeaturizerImpl : public torch::nn::Module {
 public:
  QkvFeaturizerImpl(const ModelConfig& config, const genome::OperatorSpec& spec, int64_t kv_width,
                    bool with_keys_values);
  // `cache`: incremental inference (model/inference_cache.hpp; null: a whole sequence): x continues
  // the sequence whose last K - 1 pre-convolution features of each convolved group the cache
  // holds ("query_history", "key_history", "value_history"), which then holds x's sequence's.
  torch::Tensor queries(const torch::Tensor& x, LivCache* cache = nullptr);  // [B, T, d]
  torch::Tensor keys(const torch::Tensor& x, LivCache* cache = nullptr);     // [B, T, kv_width]
  torch::Tensor values(const torch::Tensor& x, LivCache* cache = nullptr);   // [B, T, kv_width]
  // All three from one matrix product with the three weights stacked: x is read (and cast under
  // autocast) once, and its gradient comes from one product instead of a sum of three.
  std::array<torch::Tensor, 3> queries_keys_values(const torch::Tensor& x, LivCache* cache = nullptr);
  // That one product, [B, T, d + 2 kv_width] (queries, keys, values side by side), where it is all
  // there is to the features: all three projected, none convolved. Undefined otherwise.
  torch::Tensor plain_queries_keys_values(const torch::Tensor& x);
  // Values a sequence keeps for the convolutions: the last K - 1 features of each convolved
  // group (keys and values only where `own_keys_values`).
  int64_t convolution_cache_values(bool own_keys_values) const;

  // Null without keys and values, or where the group is a diagonal scale.
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};

 private:
  torch::Tensor featurize(int group, torch::nn::Linear& projection, const torch::Tensor& x, LivCache* cache);
  torch::Tensor convolve(int group, const torch::Tensor& features, LivCache* cache);
  torch::Tensor stacked_projection(const torch::Tensor& x);  // x by the three weights stacked
  std::array<torch::Tensor, 3> filters_;  // [width of the group, K] where the group is convolved
  std::array<torch::Tensor, 3> scales_;   // [d] where the group is a diagonal scale of the input
  KernelBackend backend_;
  int64_t taps_;
};

}  // namespace star::model
