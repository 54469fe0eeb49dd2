#pragma once
// The language model a genome describes: token embedding, one pre-norm residual LIV per gene,
// a final norm and an output head tied to the embedding.
//
//   h_0 = E[tokens];  h_{i+1} = h_i + LIV_i(norm_i(h_i));  logits = norm(h_L) E^T
//
// With the Kokkos kernels each residual add runs fused with the norm after it (the next LIV's,
// or the final one).
#include <vector>

#include <torch/torch.h>

#include "core/model_config.hpp"
#include "genome/genome.hpp"
#include "model/liv.hpp"
#include "model/rms_norm.hpp"

namespace star::model {

class BackboneImpl : public torch::nn::Module {
 public:
  BackboneImpl(const genome::Genome& genome, const ModelConfig& config);

  // tokens: [B, T] int64 -> logits [B, T, vocab]
  torch::Tensor forward(const torch::Tensor& tokens);

  // Incremental inference (generation; model/inference_cache.hpp), without gradients. prefill:
  // a prompt [B, T] into an empty cache -> the logits of its last token [B, 1, vocab]. decode: the
  // next token of each sequence [B, 1] -> its logits [B, 1, vocab]. Both give what forward gives
  // at those positions, within rounding.
  torch::Tensor prefill(const torch::Tensor& tokens, InferenceCache& cache);
  torch::Tensor decode(const torch::Tensor& tokens, InferenceCache& cache);

  const std::vector<LivPlan>& plans() const { return plans_; }
  const LivImpl& liv(int i) const { return *livs_.at(i); }
  // The featurizer LIV i owns (nullptr when it uses another LIV's).
  const torch::nn::Module* owned_featurizer(int i) const;
  const RMSNormImpl& norm(int i) const { return *norms_.at(i); }

 private:
  // The residual stream: embedding, then every LIV through `mix(i, normed input, features)`; the
  // final norm of the positions from `first` on.
  template <class Mix>
  torch::Tensor run(const torch::Tensor& tokens, Mix mix, int64_t first = 0);

  std::vector<LivPlan> plans_;
  torch::nn::Embedding embedding_{nullptr};
  std::vector<std::shared_ptr<torch::nn::Module>> featurizers_;  // [i] set when LIV i owns one
  std::vector<std::shared_ptr<LivImpl>> livs_;
  std::vector<RMSNorm> norms_;
  RMSNorm final_norm_{nullptr};
  KernelBackend kernels_;
};
TORCH_MODULE(Backbone);

}  // namespace star::model
