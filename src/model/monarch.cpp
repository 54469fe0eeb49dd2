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
  auto lead = x.sizes().vec();
  lead.pop_back();
  const auto blocks = x.reshape({-1, b1_, b2_});                                        // [n, b1, b2]
  const auto inner = torch::einsum("nij,cijk->ncik", {blocks, right_.to(x.scalar_type())});  // R: [n, c, b1, b2]
  const auto permuted = inner.transpose(-1, -2);                                          // [n, c, b2, b1]
  const auto outer = torch::einsum("ncjk,cjkl->ncjl", {permuted, left_.to(x.scalar_type())});  // L: [n, c, b2, b1]
  auto out_shape = lead;
  out_shape.push_back(copies_ * width_);
  return outer.transpose(-1, -2).reshape(out_shape);  // the permutation back, copies side by side
}

}  // namespace star::model
