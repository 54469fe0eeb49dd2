#include "model/ops/causal_conv.hpp"

#include <optional>

#include "model/ops/device_launch.hpp"

namespace star::model {
namespace {

kernels::ConvShape shape_of(const torch::Tensor& x, const torch::Tensor& w, const kernels::ConvPlan* plan) {
  return {x.size(0), x.size(1), x.size(2), w.size(1), plan};
}

// The gated mixer's shape: p [B, T, 3C] (its [b | c | x]), w [C, K].
kernels::ConvShape gated_shape_of(const torch::Tensor& p, const torch::Tensor& w) {
  return {p.size(0), p.size(1), w.size(0), w.size(1), nullptr};
}

// The plan travels from forward to backward in the autograd context, as its fields (empty: none).
std::vector<int64_t> plan_fields(const kernels::ConvPlan* plan) {
  if (!plan) return {};
  return {plan->forward_tile, plan->backward_tile, plan->unroll, plan->channels_per_thread};
}
std::optional<kernels::ConvPlan> plan_from(const std::vector<int64_t>& f) {
  if (f.empty()) return std::nullopt;
  return kernels::ConvPlan{f[0], f[1], static_cast<int>(f[2]), static_cast<int>(f[3])};
}

// Autograd wrapper: forward and backward both call the Kokkos kernels on contiguous data,
// activations in fp32 or bf16 as they come (other types via fp32), weights in fp32.
struct KokkosCausalConv : public torch::autograd::Function<KokkosCausalConv> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor x, torch::Tensor w,
                               std::vector<int64_t> plan_values) {
    auto xc = kernel_operand(x);
    auto wc = w.to(torch::kFloat32).contiguous();
    const auto plan = plan_from(plan_values);
    const auto shape = shape_of(xc, wc, plan ? &*plan : nullptr);
    auto y = torch::empty_like(xc);
    if (xc.scalar_type() == torch::kBFloat16)
      kernels::causal_conv1d_forward(launch_for(xc), shape, bf16_data(xc), wc.data_ptr<float>(),
                                     bf16_data(y));
    else
      kernels::causal_conv1d_forward(launch_for(xc), shape, xc.data_ptr<float>(), wc.data_ptr<float>(),
                                     y.data_ptr<float>());
    ctx->save_for_backward({xc, wc});
    ctx->saved_data["plan"] = plan_values;
    return y.to(x.scalar_type());
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto& xc = saved[0];
    const auto& wc = saved[1];
    const auto plan = plan_from(ctx->saved_data["plan"].toIntVector());
    const auto shape = shape_of(xc, wc, plan ? &*plan : nullptr);
    auto dy = grads[0].to(xc.scalar_type()).contiguous();
    auto dx = torch::empty_like(xc);
    auto partial = torch::empty({kernels::causal_conv1d_weight_partial_rows(shape), wc.size(0), wc.size(1)},
                                wc.options());
    if (xc.scalar_type() == torch::kBFloat16)
      kernels::causal_conv1d_backward(launch_for(xc), shape, bf16_data(xc), wc.data_ptr<float>(),
                                      bf16_data(dy), bf16_data(dx), partial.data_ptr<float>());
    else
      kernels::causal_conv1d_backward(launch_for(xc), shape, xc.data_ptr<float>(), wc.data_ptr<float>(),
                                      dy.data_ptr<float>(), dx.data_ptr<float>(), partial.data_ptr<float>());
    return {dx, sum_partial_rows(partial), torch::Tensor()};
  }
};

// Autograd wrapper of the gated mixer (kernels::gated_causal_conv1d_*): keeps only the
// projection p and the filter for the backward pass, which writes p's gradient in one tensor.
struct KokkosGatedCausalConv : public torch::autograd::Function<KokkosGatedCausalConv> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor p, torch::Tensor w) {
    auto pc = kernel_operand(p);
    auto wc = w.to(torch::kFloat32).contiguous();
    const auto shape = gated_shape_of(pc, wc);
    auto y = torch::empty({shape.batch, shape.length, shape.channels}, pc.options());
    if (pc.scalar_type() == torch::kBFloat16)
      kernels::gated_causal_conv1d_forward(launch_for(pc), shape, bf16_data(pc), wc.data_ptr<float>(), bf16_data(y));
    else
      kernels::gated_causal_conv1d_forward(launch_for(pc), shape, pc.data_ptr<float>(), wc.data_ptr<float>(),
                                           y.data_ptr<float>());
    ctx->save_for_backward({pc, wc});
    ctx->saved_data["type"] = static_cast<int64_t>(p.scalar_type());
    return y.to(p.scalar_type());
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto& pc = saved[0];
    const auto& wc = saved[1];
    const auto shape = gated_shape_of(pc, wc);
    auto dy = grads[0].to(pc.scalar_type()).contiguous();
    auto dp = torch::empty_like(pc);
    auto partial = torch::empty({kernels::causal_conv1d_weight_partial_rows(shape), wc.size(0), wc.size(1)},
                                wc.options());
    if (pc.scalar_type() == torch::kBFloat16)
      kernels::gated_causal_conv1d_backward(launch_for(pc), shape, bf16_data(pc), wc.data_ptr<float>(), bf16_data(dy),
                                            bf16_data(dp), partial.data_ptr<float>());
    else
      kernels::gated_causal_conv1d_backward(launch_for(pc), shape, pc.data_ptr<float>(), wc.data_ptr<float>(),
                                            dy.data_ptr<float>(), dp.data_ptr<float>(), partial.data_ptr<float>());
    const auto type = static_cast<torch::ScalarType>(ctx->saved_data["type"].toInt());
    return {dp.to(type), sum_partial_rows(partial)};
  }
};

}  // namespace

torch::Tensor causal_conv1d_reference(const torch::Tensor& x, const torch::Tensor& weight) {
  const int64_t T = x.size(1), C = x.size(2), K = weight.size(1);
  // The weights in the activations' type, as conv1d wants (what autocast does to them too).
  auto y = torch::conv1d(x.transpose(1, 2), weight.to(x.scalar_type()).unsqueeze(1), /*bias=*/{}, /*stride=*/1,
                         /*padding=*/K - 1, /*dilation=*/1, /*groups=*/C);
  return y.narrow(2, 0, T).transpose(1, 2);
}

torch::Tensor causal_conv1d_continued(const torch::Tensor& x, const torch::Tensor& weight, torch::Tensor& history) {
  const int64_t T = x.size(1), K = weight.size(1);
  if (!history.defined()) history = torch::zeros({x.size(0), K - 1, x.size(2)}, x.options());
  const auto full = torch::cat({history.to(x.scalar_type()), x}, 1);  // [B, K - 1 + T, C]
  history = full.narrow(1, T, K - 1).clone();
  return causal_conv1d_reference(full, weight).narrow(1, K - 1, T);
}

torch::Tensor causal_conv1d(const torch::Tensor& x, const torch::Tensor& weight, KernelBackend backend,
                            const kernels::ConvPlan* plan) {
  if (plan) kernels::check_conv_plan(*plan);  // on either backend: a bad plan is the caller's error
  TORCH_CHECK(x.dim() == 3 && weight.dim() == 2 && x.size(2) == weight.size(0),
              "causal_conv1d: expected x [B, T, C] and weight [C, K], got ", x.sizes(), " and ", weight.sizes());
  if (backend == KernelBackend::torch) return causal_conv1d_reference(x, weight);
  return KokkosCausalConv::apply(x, weight, plan_fields(plan));
}

torch::Tensor gated_causal_conv1d(const torch::Tensor& p, const torch::Tensor& weight, KernelBackend backend) {
  TORCH_CHECK(p.dim() == 3 && weight.dim() == 2 && p.size(2) == 3 * weight.size(0),
              "gated_causal_conv1d: expected p [B, T, 3C] and weight [C, K], got ", p.sizes(), " and ",
              weight.sizes());
  if (backend == KernelBackend::kokkos && kernels::gated_causal_conv1d_fuses(gated_shape_of(p, weight)))
    return KokkosGatedCausalConv::apply(p, weight);
  const auto bcx = p.chunk(3, -1);
  return bcx[1] * causal_conv1d(bcx[0] * bcx[2], weight, backend);
}

}  // namespace star::model
