#include "model/ops/linear_scan.hpp"

#include <optional>

#include "model/ops/device_launch.hpp"

namespace star::model {
namespace {

kernels::ScanShape shape_of(const torch::Tensor& a, const kernels::ScanPlan* plan) {
  return {a.size(0), a.size(1), a.size(2), 0, plan};
}

// The plan travels from forward to backward in the autograd context, as its fields (empty: none).
std::vector<int64_t> plan_fields(const kernels::ScanPlan* plan) {
  if (!plan) return {};
  return {plan->steps, plan->channels_per_thread, plan->pieces, plan->prefetch, plan->lanes, plan->look_back};
}
std::optional<kernels::ScanPlan> plan_from(const std::vector<int64_t>& f) {
  if (f.empty()) return std::nullopt;
  return kernels::ScanPlan{static_cast<int>(f[0]), static_cast<int>(f[1]), static_cast<int>(f[2]), f[3] != 0,
                           static_cast<int>(f[4]), static_cast<int>(f[5])};
}

// Autograd wrapper: forward and backward both call the Kokkos kernels on contiguous data, a and x
// in fp32 or bf16 as they come (other types, or two different ones, via fp32), h0 in fp32.
// Without h0 (an empty placeholder: LibTorch 1.13's custom functions take no undefined inputs)
// the kernels start from a zero state and compute no dh0: no zeros to fill and cast, two
// launches fewer per call.
struct KokkosLinearScan : public torch::autograd::Function<KokkosLinearScan> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor a, torch::Tensor x,
                               torch::Tensor h0, std::vector<int64_t> plan_values) {
    const auto plan = plan_from(plan_values);
    const auto* given = plan ? &*plan : nullptr;
    const auto type = a.scalar_type() == x.scalar_type() && kernels_take(x.scalar_type()) ? x.scalar_type()
                                                                                          : torch::kFloat32;
    auto ac = a.to(type).contiguous(), xc = x.to(type).contiguous();
    auto h0c = h0.numel() > 0 ? h0.to(torch::kFloat32).contiguous() : torch::Tensor();
    auto h = torch::empty_like(ac);
    if (type == torch::kBFloat16)
      kernels::linear_scan_forward(launch_for(ac), shape_of(ac, given), bf16_data(ac), bf16_data(xc), float_data(h0c),
                                   bf16_data(h));
    else
      kernels::linear_scan_forward(launch_for(ac), shape_of(ac, given), ac.data_ptr<float>(), xc.data_ptr<float>(),
                                   float_data(h0c), h.data_ptr<float>());
    ctx->save_for_backward({ac, h, h0c});
    ctx->saved_data["plan"] = plan_values;
    return h.to(x.scalar_type());
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto &ac = saved[0], &h = saved[1], &h0c = saved[2];
    const auto plan = plan_from(ctx->saved_data["plan"].toIntVector());
    const auto* given = plan ? &*plan : nullptr;
    auto dh = grads[0].to(ac.scalar_type()).contiguous();
    auto dx = torch::empty_like(ac), da = torch::empty_like(ac);
    auto dh0 = h0c.defined() ? torch::empty_like(h0c) : torch::Tensor();  // none for the placeholder
    if (ac.scalar_type() == torch::kBFloat16)
      kernels::linear_scan_backward(launch_for(ac), shape_of(ac, given), bf16_data(ac), bf16_data(h), float_data(h0c),
                                    bf16_data(dh), bf16_data(dx), bf16_data(da), float_data(dh0));
    else
      kernels::linear_scan_backward(launch_for(ac), shape_of(ac, given), ac.data_ptr<float>(), h.data_ptr<float>(),
                                    float_data(h0c), dh.data_ptr<float>(), dx.data_ptr<float>(),
                                    da.data_ptr<float>(), float_data(dh0));
    return {da, dx, dh0, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor linear_scan_reference(const torch::Tensor& a, const torch::Tensor& x, const torch::Tensor& h0) {
  const int64_t T = a.size(1);
  if (T == 0) return x.clone();
  // Fold the initial state into the first input: h[0] = a[0] h0 + x[0].
  auto S = h0.defined() ? torch::cat({x.narrow(1, 0, 1) + a.narrow(1, 0, 1) * h0.unsqueeze(1), x.narrow(1, 1, T - 1)}, 1)
                        : x;
  auto A = a;
  // After the step of distance d, S[t] holds the recurrence over the 2d steps ending at t (from a
  // zero state), and A[t] the product of their coefficients.
  for (int64_t d = 1; d < T; d *= 2) {
    auto head_S = S.narrow(1, 0, d), head_A = A.narrow(1, 0, d);
    auto tail_A = A.narrow(1, d, T - d);
    S = torch::cat({head_S, S.narrow(1, d, T - d) + tail_A * S.narrow(1, 0, T - d)}, 1);
    A = torch::cat({head_A, tail_A * A.narrow(1, 0, T - d)}, 1);
  }
  return S;
}

torch::Tensor linear_scan(const torch::Tensor& a, const torch::Tensor& x, KernelBackend backend,
                          const torch::Tensor& h0, const kernels::ScanPlan* plan) {
  if (plan) kernels::check_scan_plan(*plan);  // on either backend: a bad plan is the caller's error
  TORCH_CHECK(a.dim() == 3 && a.sizes() == x.sizes(), "linear_scan: expected a and x of one shape [B, T, C], got ",
              a.sizes(), " and ", x.sizes());
  TORCH_CHECK(!h0.defined() || (h0.dim() == 2 && h0.size(0) == a.size(0) && h0.size(1) == a.size(2)),
              "linear_scan: expected h0 [B, C], got ", h0.sizes());
  if (backend == KernelBackend::torch || a.size(1) == 0) return linear_scan_reference(a, x, h0);
  return KokkosLinearScan::apply(a, x, h0.defined() ? h0 : torch::empty({0}, x.options()), plan_fields(plan));
}

}  // namespace star::model
