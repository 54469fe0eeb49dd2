#include "model/rotary.hpp"

namespace star::model {

torch::Tensor apply_rotary(const torch::Tensor& x, double base) {
  const int64_t T = x.size(2), Dh = x.size(3), half = Dh / 2;
  TORCH_CHECK(Dh % 2 == 0, "rotary embedding needs an even head width, got ", Dh);
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(x.device());
  auto inv_freq = torch::pow(base, -torch::arange(0, half, opts) * 2.0 / static_cast<double>(Dh));  // [half]
  auto angles = torch::outer(torch::arange(0, T, opts), inv_freq);                                   // [T, half]
  auto cos = angles.cos().to(x.scalar_type()), sin = angles.sin().to(x.scalar_type());
  auto x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
  return torch::cat({x1 * cos - x2 * sin, x1 * sin + x2 * cos}, -1);
}

}  // namespace star::model
