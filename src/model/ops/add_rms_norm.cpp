#include "model/ops/add_rms_norm.hpp"

#include <torch/version.h>

#include "kernels/add_rms_norm.hpp"
#include "model/ops/device_launch.hpp"

namespace star::model {
namespace {

// h seen as [N, d].
kernels::AddRmsNormShape shape_of(const torch::Tensor& h) {
  const int64_t d = h.size(-1);
  return {d == 0 ? 0 : h.numel() / d, d};
}

// Autograd wrapper: forward and backward call the Kokkos kernels on contiguous data. The forward
// only allocates and calls the kernel, so autocast does not touch it; h_out, rstd and gain are
// kept for the backward pass (as the norm alone would keep its input).
struct KokkosAddRmsNorm : public torch::autograd::Function<KokkosAddRmsNorm> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, torch::Tensor h,
                                                torch::Tensor delta, torch::Tensor gain, double eps) {
    auto hc = h.contiguous(), dc = delta.contiguous(), gc = gain.to(torch::kFloat32).contiguous();
    const auto shape = shape_of(hc);
    auto h_out = torch::empty_like(hc), y = torch::empty_like(dc);
    auto rstd = torch::empty({shape.rows}, hc.options());
    const auto launch = launch_for(hc);
    const float e = static_cast<float>(eps);
    if (dc.scalar_type() == torch::kBFloat16)
      kernels::add_rms_norm_forward(launch, shape, e, hc.data_ptr<float>(), bf16_data(dc), gc.data_ptr<float>(),
                                    h_out.data_ptr<float>(), bf16_data(y), rstd.data_ptr<float>());
    else
      kernels::add_rms_norm_forward(launch, shape, e, hc.data_ptr<float>(), dc.data_ptr<float>(), gc.data_ptr<float>(),
                                    h_out.data_ptr<float>(), y.data_ptr<float>(), rstd.data_ptr<float>());
    ctx->save_for_backward({h_out, rstd, gc});
    ctx->saved_data["delta_type"] = static_cast<int64_t>(dc.scalar_type());
    ctx->saved_data["gain_type"] = static_cast<int64_t>(gain.scalar_type());
    return {h_out, y};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto &h_out = saved[0], &rstd = saved[1], &gain = saved[2];
    const auto type = static_cast<torch::ScalarType>(ctx->saved_data["delta_type"].toInt());
    // An output nothing used has no gradient: h_out's is then zero (the kernel takes a null
    // pointer), y's is made zero.
    auto dh_out = grads[0].defined() ? grads[0].to(torch::kFloat32).contiguous() : torch::Tensor();
    auto dy = grads[1].defined() ? grads[1].to(type).contiguous() : torch::zeros_like(h_out, h_out.options().dtype(type));
    const auto shape = shape_of(h_out);
    auto dh = torch::empty_like(h_out), ddelta = torch::empty_like(dy);
    const auto launch = launch_for(h_out);
    auto partial = torch::empty({kernels::add_rms_norm_partial_rows(launch, shape), shape.width}, h_out.options());
    const float* up = dh_out.defined() ? dh_out.data_ptr<float>() : nullptr;
    if (type == torch::kBFloat16)
      kernels::add_rms_norm_backward(launch, shape, h_out.data_ptr<float>(), rstd.data_ptr<float>(),
                                     gain.data_ptr<float>(), bf16_data(dy), up, dh.data_ptr<float>(), bf16_data(ddelta),
                                     partial.data_ptr<float>());
    else
      kernels::add_rms_norm_backward(launch, shape, h_out.data_ptr<float>(), rstd.data_ptr<float>(),
                                     gain.data_ptr<float>(), dy.data_ptr<float>(), up, dh.data_ptr<float>(),
                                     ddelta.data_ptr<float>(), partial.data_ptr<float>());
    const auto gain_type = static_cast<torch::ScalarType>(ctx->saved_data["gain_type"].toInt());
    return {dh, ddelta, sum_partial_rows(partial).to(gain_type), torch::Tensor()};
  }
};

bool kernels_apply(const torch::Tensor& h, const torch::Tensor& delta, const torch::Tensor& gain) {
  return h.scalar_type() == torch::kFloat32 && kernels_take(delta.scalar_type()) && h.sizes() == delta.sizes() &&
         h.dim() >= 1 && gain.dim() == 1 && gain.size(0) == h.size(-1) && h.device() == delta.device() &&
         h.device() == gain.device();
}

}  // namespace

torch::Tensor rms_norm_reference(const torch::Tensor& x, const torch::Tensor& gain, double eps) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 8)
  // One fused kernel on the GPU (forward and backward) instead of six passes over the activations.
  if (x.is_cuda() && x.scalar_type() == torch::kFloat32) return at::rms_norm(x, {x.size(-1)}, gain, eps);
#endif
  auto xf = x.to(torch::kFloat32);
  auto normed = xf * torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps);
  return (normed * gain).to(x.scalar_type());
}

AddedAndNormed add_rms_norm(const torch::Tensor& h, const torch::Tensor& delta, const torch::Tensor& gain, double eps,
                            KernelBackend backend) {
  if (backend == KernelBackend::torch || !kernels_apply(h, delta, gain)) {
    auto sum = h + delta;
    return {sum, rms_norm_reference(sum, gain, eps)};
  }
  auto out = KokkosAddRmsNorm::apply(h, delta, gain, eps);
  return {out[0], out[1]};
}

}  // namespace star::model
