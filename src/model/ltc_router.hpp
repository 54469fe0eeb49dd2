#pragma once
// LTC routing across depth (liquid time-constant networks, Hasani et al. 2021). A per-token
// routing state x in R^m (m = kRoutingState) starts at zero at the embedding and is carried from
// block to block; each routed block (genome/blocks.hpp, gene 4) integrates one step of
//
//   dx/ds = -(1/tau + f(x, u)) x + f(x, u) A,      f = sigmoid(W x + U u + c)
//
// (u: the block's normed input; tau = exp(log_tau) > 0 and A learned per block) with the LTC
// fused solver, one semi-implicit Euler step of size 1,
//
//   x <- (x + f A) / (1 + 1/tau + f),
//
// and scales what the block adds to the residual stream by the gate g = sigmoid(v . x + e) in
// (0, 1): h <- h + g block(u). Everything is per token, so routing keeps the model causal and a
// decode step routes its token as the full pass does. The gate starts near sigmoid(3) = 0.95, so a
// routed model starts close to the unrouted one. Weights per routed block: m^2 (W) + d m + m (U,
// c) + m (tau) + m (A) + m + 1 (v, e). Computed in fp32.
//
// At inference a token whose gate is below kSkipThreshold may skip the block (the backbone
// measures what that saves and what it costs: model/backbone.hpp, RoutingStats).
#include <utility>

#include <torch/torch.h>

#include "model/derived_sizes.hpp"  // kRoutingState, kSkipThreshold

namespace star::model {

class LtcRouterImpl : public torch::nn::Module {
 public:
  explicit LtcRouterImpl(int64_t width);
  // state: [..., m] (undefined: zeros), u: [..., d] -> (the new state [..., m], the gate [..., 1]).
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& state, const torch::Tensor& u);

 private:
  torch::nn::Linear recurrent_{nullptr}, input_{nullptr}, gate_{nullptr};  // W, (U, c), (v, e)
  torch::Tensor log_tau_, target_;                                        // log tau, A
};
TORCH_MODULE(LtcRouter);

}  // namespace star::model
