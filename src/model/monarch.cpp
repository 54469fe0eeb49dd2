#include "model/monarch.hpp"

#include <cmath>

#include "model/derived_sizes.hpp"

namespace star::model {

MonarchImpl::MonarchImpl(int64_t width, int64_t copies) : width_(width), copies_(copies) {
  const auto blocks = monarch_blocks(width);
  b1_ = blocks.b1;
  b2_ = blocks.b2;
  const double right_bound = std::sqrt(3.0 / static_cast<double>(b2_));  // variance 1 per output
  const double left_bound = 1.0 / std::sqrt(static_cast<double>(b1_));   // Linear's default
  right_ = register_parameter("right", torch::empty({copies, b1_, b2_, b2_}).uniform_(-right_bound, right_bound));
  left_ = register_parameter("left", torch::empty({copies, b2_, b1_, b1_}).uniform_(-left_bound, left_bound));
}

torch::Tensor MonarchImpl::forward(const torch::Tensor& x) {
  // The d x (copies x d) matrix the factors make, built each call from the identity's rows (d x
  // d (b1 + b2) multiply-adds per copy, nothing next to a batch), then one dense product: on a
  // GPU at a search's widths one GEMM is faster than the two block products and the transposes
  // between them (README, S4-Monarch). The gradient flows back into the factors.
  const auto w = apply_factors(torch::eye(width_, right_.options()));  // [d, copies x d]
  return torch::matmul(x, w.to(x.scalar_type()));
}

torch::Tensor MonarchImpl::apply_factors(const torch::Tensor& x) const {
  const int64_t rows = x.size(0);
  const auto blocks = x.reshape({rows, b1_, b2_});                                  // [n, b1, b2]
  const auto inner = torch::einsum("nij,cijk->ncik", {blocks, right_});             // R: [n, c, b1, b2]
  const auto permuted = inner.transpose(-1, -2);                                    // [n, c, b2, b1]
  const auto outer = torch::einsum("ncjk,cjkl->ncjl", {permuted, left_});           // L: [n, c, b2, b1]
  return outer.transpose(-1, -2).reshape({rows, copies_ * width_});  // the permutation back, copies side by side
}

}  // namespace star::model
