#include "model/ops/aligned_gated_mlp.hpp"

#include "model/ops/gated_unit.hpp"

namespace star::model {

torch::Tensor aligned_gated_mlp(const torch::Tensor& x, const torch::Tensor& w_gate_up, const torch::Tensor& w_down,
                                int nonlinearity, KernelBackend backend, int64_t alignment) {
  const int64_t h = w_down.size(1);
  TORCH_CHECK(w_gate_up.size(0) == 2 * h && w_gate_up.size(1) == x.size(-1),
              "aligned_gated_mlp: expected W_gate_up [2h, d_in] beside W_down [d, h], got ", w_gate_up.sizes(), " and ",
              w_down.sizes());
  const int64_t padded = (h + alignment - 1) / alignment * alignment;
  auto gate_up = w_gate_up, down = w_down;
  if (padded != h) {
    // [2h, d_in] seen as [2, h, d_in]: the gate's and the up's rows, each padded to `padded`.
    gate_up = torch::constant_pad_nd(w_gate_up.view({2, h, w_gate_up.size(1)}), {0, 0, 0, padded - h})
                  .view({2 * padded, w_gate_up.size(1)});
    down = torch::constant_pad_nd(w_down, {0, padded - h});  // [d, padded]
  }
  return torch::linear(gated_unit(torch::linear(x, gate_up), nonlinearity, backend), down);
}

}  // namespace star::model
