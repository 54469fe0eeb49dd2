#include "model/ops/rotary.hpp"

#include <type_traits>

#include "kernels/rotary.hpp"
#include "model/ops/device_launch.hpp"

namespace star::model {
namespace {

// t: [B, T, H, Dh] with contiguous channels.
kernels::RotaryShape shape_of(const torch::Tensor& t) { return {t.size(0), t.size(1), t.size(2), t.size(3)}; }
kernels::RotaryStrides strides_of(const torch::Tensor& t) { return {t.stride(0), t.stride(1), t.stride(2)}; }

// x [B, H, T, Dh] as the kernels read it: its [B, T, H, Dh] view in `type`, channels contiguous
// (a copy only when the type changes or the channels are strided).
torch::Tensor kernel_input(const torch::Tensor& x, torch::ScalarType type) {
  auto t = x.transpose(1, 2).to(type);
  return t.stride(3) == 1 ? t : t.contiguous();
}

// in: [B, T, H, Dh] with contiguous channels, fp32 or bf16 -> a contiguous [B, T, H, Dh] tensor
// of in's type: in rotated by the angles (forward) or by their opposites (inverse: the backward).
torch::Tensor rotated(const torch::Tensor& in, double base, bool inverse) {
  auto out = torch::empty(in.sizes(), in.options());  // contiguous
  auto run = [&](const auto* x, auto* y) {
    using Elem = std::remove_pointer_t<decltype(y)>;
    using Kernel = void (*)(const kernels::Launch&, const kernels::RotaryShape&, float, const Elem*,
                            const kernels::RotaryStrides&, Elem*);
    const Kernel kernel = inverse ? Kernel(kernels::rotary_backward) : Kernel(kernels::rotary_forward);
    kernel(launch_for(in), shape_of(in), static_cast<float>(base), x, strides_of(in), y);
  };
  if (in.scalar_type() == torch::kBFloat16) run(bf16_data(in), bf16_data(out));
  else run(in.data_ptr<float>(), out.data_ptr<float>());
  return out;
}

// Autograd wrapper: forward and backward each call one Kokkos kernel, in fp32 or bf16 as x comes
// (other types via fp32), and write a contiguous [B, T, H, Dh] tensor returned as its
// [B, H, T, Dh] transpose. Nothing is kept for the backward pass but the base: it is the same
// rotation by the opposite angle.
struct KokkosRotary : public torch::autograd::Function<KokkosRotary> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor x, double base) {
    const auto type = kernels_take(x.scalar_type()) ? x.scalar_type() : torch::kFloat32;
    ctx->saved_data["base"] = base;
    ctx->saved_data["type"] = static_cast<int64_t>(type);
    return rotated(kernel_input(x, type), base, /*inverse=*/false).transpose(1, 2).to(x.scalar_type());
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto type = static_cast<torch::ScalarType>(ctx->saved_data["type"].toInt());
    const auto dx = rotated(kernel_input(grads[0], type), ctx->saved_data["base"].toDouble(), /*inverse=*/true);
    return {dx.transpose(1, 2), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor apply_rotary_reference(const torch::Tensor& x, double base, int64_t first_position) {
  const int64_t T = x.size(2), Dh = x.size(3), half = Dh / 2;
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(x.device());
  auto inv_freq = torch::pow(base, -torch::arange(0, half, opts) * 2.0 / static_cast<double>(Dh));  // [half]
  auto angles = torch::outer(torch::arange(first_position, first_position + T, opts), inv_freq);  // [T, half]
  auto cos = angles.cos().to(x.scalar_type()), sin = angles.sin().to(x.scalar_type());
  auto x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
  return torch::cat({x1 * cos - x2 * sin, x1 * sin + x2 * cos}, -1);
}

torch::Tensor apply_rotary(const torch::Tensor& x, double base, KernelBackend backend) {
  TORCH_CHECK(x.dim() == 4 && x.size(3) > 0 && x.size(3) % 2 == 0,
              "rotary embedding: expected x [B, H, T, Dh] with an even head width, got ", x.sizes());
  if (backend == KernelBackend::torch) return apply_rotary_reference(x, base);
  return KokkosRotary::apply(x, base);
}

}  // namespace star::model
