#include "model/ops/gated_unit.hpp"

#include "genome/operator_genome.hpp"
#include "kernels/gated_unit.hpp"
#include "model/ops/device_launch.hpp"

namespace star::model {
namespace {

kernels::GateActivation activation_of(int nonlinearity) {
  switch (nonlinearity) {
    case genome::kSilu: return kernels::GateActivation::silu;
    case genome::kGelu: return kernels::GateActivation::gelu;
    case genome::kSigmoid: return kernels::GateActivation::sigmoid;
    default: return kernels::GateActivation::identity;
  }
}

// gate_up seen as [N, 2h].
kernels::GatedUnitShape shape_of(const torch::Tensor& gate_up) {
  const int64_t h = gate_up.size(-1) / 2;
  return {h == 0 ? 0 : gate_up.numel() / (2 * h), h};
}

// Autograd wrapper: forward and backward both call the Kokkos kernels on contiguous data, in fp32
// or bf16 as it comes (other types via fp32). The forward only allocates and calls the kernel, so
// autocast does not touch it; only gate_up is kept for the backward pass.
struct KokkosGatedUnit : public torch::autograd::Function<KokkosGatedUnit> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor gate_up, int64_t nonlinearity) {
    auto gc = kernel_operand(gate_up);
    auto sizes = gc.sizes().vec();
    sizes.back() /= 2;
    auto y = torch::empty(sizes, gc.options());
    const auto act = activation_of(static_cast<int>(nonlinearity));
    if (gc.scalar_type() == torch::kBFloat16)
      kernels::gated_unit_forward(launch_for(gc), shape_of(gc), act, bf16_data(gc), bf16_data(y));
    else
      kernels::gated_unit_forward(launch_for(gc), shape_of(gc), act, gc.data_ptr<float>(), y.data_ptr<float>());
    ctx->save_for_backward({gc});
    ctx->saved_data["nonlinearity"] = nonlinearity;
    return y.to(gate_up.scalar_type());
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto gc = ctx->get_saved_variables()[0];
    const auto act = activation_of(static_cast<int>(ctx->saved_data["nonlinearity"].toInt()));
    auto dy = grads[0].to(gc.scalar_type()).contiguous();
    auto dgate_up = torch::empty_like(gc);
    if (gc.scalar_type() == torch::kBFloat16)
      kernels::gated_unit_backward(launch_for(gc), shape_of(gc), act, bf16_data(gc), bf16_data(dy),
                                   bf16_data(dgate_up));
    else
      kernels::gated_unit_backward(launch_for(gc), shape_of(gc), act, gc.data_ptr<float>(), dy.data_ptr<float>(),
                                   dgate_up.data_ptr<float>());
    return {dgate_up, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor gated_unit_reference(const torch::Tensor& gate_up, int nonlinearity) {
  auto gu = gate_up.chunk(2, -1);  // 2 x [..., h], views
  const auto& g = gu[0];
  switch (nonlinearity) {
    case genome::kSilu: return torch::silu(g) * gu[1];
    case genome::kGelu: return torch::gelu(g) * gu[1];
    case genome::kSigmoid: return torch::sigmoid(g) * gu[1];
    default: return g * gu[1];
  }
}

torch::Tensor gated_unit(const torch::Tensor& gate_up, int nonlinearity, KernelBackend backend) {
  TORCH_CHECK(gate_up.dim() >= 1 && gate_up.size(-1) % 2 == 0,
              "gated_unit: expected gate_up [..., 2h] (an even last dimension), got ", gate_up.sizes());
  if (backend == KernelBackend::torch) return gated_unit_reference(gate_up, nonlinearity);
  return KokkosGatedUnit::apply(gate_up, static_cast<int64_t>(nonlinearity));
}

}  // namespace star::model
