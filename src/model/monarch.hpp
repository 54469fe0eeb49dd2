#pragma once
// A Monarch projection (S4-Monarch's input, gate and output channel mixing): `copies` d x d
// Monarch matrices side by side, d -> copies x d. Each is R, a block-diagonal of b1 blocks of
// b2 x b2, then the fixed permutation [b1, b2] -> [b2, b1], L, a block-diagonal of b2 blocks of
// b1 x b1, and the permutation back (model/derived_sizes.hpp: monarch_blocks). Weights:
// copies x d (b1 + b2), no bias. Initialised so that the product's output variance is a dense
// bias-free Linear's (R preserves the variance, L scales it as Linear's default does).
#include <torch/torch.h>

namespace star::model {

class MonarchImpl : public torch::nn::Module {
 public:
  MonarchImpl(int64_t width, int64_t copies);
  // x: [..., d] -> [..., copies x d].
  torch::Tensor forward(const torch::Tensor& x);

 private:
  // The factors applied to the rows of x: [n, d] -> [n, copies x d], in fp32.
  torch::Tensor apply_factors(const torch::Tensor& x) const;

  int64_t width_, copies_, b1_, b2_;
  torch::Tensor right_;  // [copies, b1, b2, b2]: block i maps x[i * b2 : (i + 1) * b2]
  torch::Tensor left_;   // [copies, b2, b1, b1]
};
TORCH_MODULE(Monarch);

}  // namespace star::model
