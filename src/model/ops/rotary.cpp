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
    const auto type = kernel_type(x.scalar_type());
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

// Autograd wrapper of the fused projection's rotation: forward rotates the query and key heads
// (two kernels, each writing a contiguous tensor) and returns the values as a view of qkv;
// backward writes dqkv once (see rotary_queries_keys_values). qkv comes in a type the kernels take.
struct KokkosRotaryQkv : public torch::autograd::Function<KokkosRotaryQkv> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, torch::Tensor qkv,
                                                int64_t heads, int64_t kv_heads, double base) {
    const int64_t B = qkv.size(0), T = qkv.size(1), Dh = qkv.size(2) / (heads + 2 * kv_heads);
    const auto split = qkv.view({B, T, heads + 2 * kv_heads, Dh});
    ctx->saved_data["heads"] = heads;
    ctx->saved_data["kv_heads"] = kv_heads;
    ctx->saved_data["base"] = base;
    ctx->saved_data["type"] = static_cast<int64_t>(qkv.scalar_type());
    auto q = rotated(split.narrow(2, 0, heads), base, /*inverse=*/false);
    auto k = rotated(split.narrow(2, heads, kv_heads), base, /*inverse=*/false);
    auto v = split.narrow(2, heads + kv_heads, kv_heads);
    return {q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)};
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const int64_t heads = ctx->saved_data["heads"].toInt(), kv_heads = ctx->saved_data["kv_heads"].toInt();
    const double base = ctx->saved_data["base"].toDouble();
    const auto& like = grads[0].defined() ? grads[0] : grads[1].defined() ? grads[1] : grads[2];
    const int64_t B = like.size(0), T = like.size(2), Dh = like.size(3);
    const auto type = static_cast<torch::ScalarType>(ctx->saved_data["type"].toInt());
    auto dqkv = torch::empty({B, T, (heads + 2 * kv_heads) * Dh}, like.options().dtype(type));
    const auto split = dqkv.view({B, T, heads + 2 * kv_heads, Dh});
    // dy [B, H, T, Dh] into dx, a narrowed view of split: rotated back, or copied (the values).
    const auto place = [&](const torch::Tensor& dy, torch::Tensor dx, bool rotated) {
      if (!dy.defined()) return void(dx.zero_());
      const auto in = kernel_input(dy, type);
      const auto launch = launch_for(in);
      const auto b = static_cast<float>(base);
      const auto run = [&](const auto* x, auto* y) {
        if (rotated) kernels::rotary_backward(launch, shape_of(in), b, x, strides_of(in), y, strides_of(dx));
        else kernels::copy_heads(launch, shape_of(in), x, strides_of(in), y, strides_of(dx));
      };
      if (type == torch::kBFloat16) run(bf16_data(in), bf16_data(dx));
      else run(in.data_ptr<float>(), dx.data_ptr<float>());
    };
    place(grads[0], split.narrow(2, 0, heads), true);
    place(grads[1], split.narrow(2, heads, kv_heads), true);
    place(grads[2], split.narrow(2, heads + kv_heads, kv_heads), false);
    return {dqkv, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

std::array<torch::Tensor, 3> rotary_queries_keys_values(const torch::Tensor& qkv, int64_t heads, int64_t kv_heads,
                                                        double base, KernelBackend backend) {
  const int64_t all_heads = heads + 2 * kv_heads;
  TORCH_CHECK(qkv.dim() == 3 && qkv.size(2) % all_heads == 0 && qkv.size(2) / all_heads % 2 == 0,
              "rotary embedding: expected qkv [B, T, (", heads, " + 2 x ", kv_heads,
              ") Dh] with an even head width, got ", qkv.sizes());
  const int64_t B = qkv.size(0), T = qkv.size(1), Dh = qkv.size(2) / all_heads;
  if (backend == KernelBackend::kokkos && kernels_take(qkv.scalar_type())) {
    const auto out = KokkosRotaryQkv::apply(qkv.stride(2) == 1 ? qkv : qkv.contiguous(), heads, kv_heads, base);
    return {out[0], out[1], out[2]};
  }
  const auto split = qkv.reshape({B, T, all_heads, Dh}).transpose(1, 2);  // [B, all heads, T, Dh]
  return {apply_rotary(split.narrow(1, 0, heads), base, backend),
          apply_rotary(split.narrow(1, heads, kv_heads), base, backend), split.narrow(1, heads + kv_heads, kv_heads)};
}

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
