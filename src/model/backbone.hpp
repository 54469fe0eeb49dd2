#pragma once
// The language model a genome describes: token embedding, one pre-norm residual block per
// block of the genome (genome/blocks.hpp: one LIV, or 2 or 3 side by side whose outputs a path
// mixer adds), a final norm and an output head tied to the embedding.
//
//   h_0 = E[tokens];  h_{b+1} = h_b + mix_b(LIV_i(norm_b(h_b)) for the block's LIVs i);
//   logits = norm(h_B) E^T
//
// With the Kokkos kernels each residual add runs fused with the norm after it (the next LIV's,
// or the final one).
#include <vector>

#include <torch/torch.h>

#include "core/model_config.hpp"
#include "genome/blocks.hpp"
#include "genome/genome.hpp"
#include "model/liv.hpp"
#include "model/ltc_router.hpp"
#include "model/path_mixer.hpp"
#include "model/rms_norm.hpp"

namespace star::model {

// The routing gates of the forward passes since collect_routing was set (model/ltc_router.hpp).
struct RoutingStats {
  double gate_sum = 0;      // over every token of every routed block
  int64_t gates = 0;        // token-block pairs of routed blocks
  int64_t below = 0;        // ... whose gate is below kSkipThreshold
  double skipped_macs = 0;  // the forward multiply-adds those pairs' blocks would cost (cost_estimate.hpp)
  double model_macs = 0;    // ... and the whole model's for the tokens passed forward
  int64_t tokens = 0;       // tokens passed forward
};

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
  // The norm before LIV i's block and its path mixer, at the block's first LIV (nullptr elsewhere;
  // a block of one LIV has no mixer).
  const RMSNormImpl* norm(int i) const { return norms_.at(i).is_empty() ? nullptr : norms_.at(i).get(); }
  const torch::nn::Module* owned_mixer(int i) const { return mixers_.at(i).is_empty() ? nullptr : mixers_.at(i).get(); }
  // The LTC router of LIV i's block, at a routed block's first LIV (nullptr elsewhere).
  const torch::nn::Module* owned_router(int i) const { return routers_.at(i).is_empty() ? nullptr : routers_.at(i).get(); }

  // Routing at inference, both off by default. collect_routing: every later forward pass adds its
  // gates to routing_stats(), from zero (one host synchronisation per routed block).
  // skip_low_gates: a token whose gate is below kSkipThreshold skips the block (its gate is taken
  // as 0), as an inference that saves that block's compute for that token would.
  void collect_routing(bool on);
  void skip_low_gates(bool on) { skip_gates_ = on; }
  const RoutingStats& routing_stats() const { return routing_stats_; }

 private:
  // The residual stream: embedding, then every block, each LIV through `mix(i, normed input,
  // features)`; the final norm of the positions from `first` on.
  template <class Mix>
  torch::Tensor run(const torch::Tensor& tokens, Mix mix, int64_t first = 0);
  void count_macs(const torch::Tensor& tokens);  // adds the tokens to routing_stats_
  // y, a routed block's output, scaled by its router's gate; advances the routing state `route`.
  torch::Tensor routed(int first, torch::Tensor& route, const torch::Tensor& x, const torch::Tensor& y);

  std::vector<LivPlan> plans_;
  torch::nn::Embedding embedding_{nullptr};
  std::vector<std::shared_ptr<torch::nn::Module>> featurizers_;  // [i] set when LIV i owns one
  std::vector<std::shared_ptr<LivImpl>> livs_;
  std::vector<genome::Block> blocks_;
  std::vector<RMSNorm> norms_;       // [i] set at a block's first LIV
  std::vector<PathMixer> mixers_;    // [i] set at a multi-path block's first LIV
  std::vector<LtcRouter> routers_;   // [i] set at a routed block's first LIV
  genome::Genome genome_;
  ModelConfig config_;
  // While collecting routing statistics: each block's forward multiply-adds per token (at its
  // first LIV) and the whole model's, at sequences of macs_length_ tokens.
  std::vector<double> block_macs_;
  double model_macs_ = 0;
  int64_t macs_length_ = -1;
  bool collect_routing_ = false, skip_gates_ = false;
  RoutingStats routing_stats_;
  RMSNorm final_norm_{nullptr};
  KernelBackend kernels_;
};
TORCH_MODULE(Backbone);

}  // namespace star::model
