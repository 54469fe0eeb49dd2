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

  const std::vector<LivPlan>& plans() const { return plans_; }
  const LivImpl& liv(int i) const { return *livs_.at(i); }
  // The featurizer LIV i owns (nullptr when it uses another LIV's).
  const torch::nn::Module* owned_featurizer(int i) const;
  const RMSNormImpl& norm(int i) const { return *norms_.at(i); }

 private:
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
