#include "model/ops/cross_entropy.hpp"

#include <optional>
#include <vector>

#include "kernels/cross_entropy.hpp"
#include "model/ops/device_launch.hpp"

namespace star::model {
namespace {

kernels::CrossEntropyShape shape_of(const torch::Tensor& logits, const kernels::CrossEntropyPlan* plan) {
  return {logits.size(0), logits.size(1), plan};
}

// The plan travels from forward to backward in the autograd context, as its fields (empty: none).
std::vector<int64_t> plan_fields(const kernels::CrossEntropyPlan* plan) {
  if (!plan) return {};
  return {plan->team_threads, plan->accesses};
}
std::optional<kernels::CrossEntropyPlan> plan_from(const std::vector<int64_t>& f) {
  if (f.empty()) return std::nullopt;
  return kernels::CrossEntropyPlan{static_cast<int>(f[0]), static_cast<int>(f[1])};
}

// Autograd wrapper: forward and backward both call the Kokkos kernels on contiguous logits, in
// fp32 or bf16 as they come (other types via fp32). The forward only allocates and calls the
// kernels, so autocast does not touch it. The backward reads the upstream gradient (0-dim, on the
// logits' device) in the kernel: nothing waits for the GPU.
struct KokkosCrossEntropy : public torch::autograd::Function<KokkosCrossEntropy> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor logits, torch::Tensor targets,
                               int64_t ignore_index, std::vector<int64_t> plan_values) {
    const auto plan = plan_from(plan_values);
    const auto shape = shape_of(logits, plan ? &*plan : nullptr);
    auto lc = model::kernel_operand(logits);
    auto tc = targets.to(torch::kInt64).contiguous();
    auto loss = torch::empty({lc.size(0)}, lc.options().dtype(torch::kFloat32));
    auto lse = torch::empty_like(loss);
    const auto launch = model::launch_for(lc);
    if (lc.scalar_type() == torch::kBFloat16)
      kernels::cross_entropy_forward(launch, shape, model::bf16_data(lc), tc.data_ptr<int64_t>(), ignore_index,
                                     loss.data_ptr<float>(), lse.data_ptr<float>());
    else
      kernels::cross_entropy_forward(launch, shape, lc.data_ptr<float>(), tc.data_ptr<int64_t>(), ignore_index,
                                     loss.data_ptr<float>(), lse.data_ptr<float>());
    ctx->save_for_backward({lc, tc, lse});
    ctx->saved_data["ignore_index"] = ignore_index;
    ctx->saved_data["plan"] = plan_values;
    ctx->saved_data["dtype"] = static_cast<int64_t>(logits.scalar_type());
    return loss.sum();
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto& lc = saved[0];
    const auto& tc = saved[1];
    const auto& lse = saved[2];
    const int64_t ignore_index = ctx->saved_data["ignore_index"].toInt();
    const auto dtype = static_cast<torch::ScalarType>(ctx->saved_data["dtype"].toInt());
    const auto plan = plan_from(ctx->saved_data["plan"].toIntVector());
    const auto shape = shape_of(lc, plan ? &*plan : nullptr);
    auto scale = grads[0].to(lc.device(), torch::kFloat32).contiguous();  // 0-dim
    auto dlogits = torch::empty_like(lc);
    const auto launch = model::launch_for(lc);
    if (lc.scalar_type() == torch::kBFloat16)
      kernels::cross_entropy_backward(launch, shape, model::bf16_data(lc), tc.data_ptr<int64_t>(), ignore_index,
                                      lse.data_ptr<float>(), scale.data_ptr<float>(), model::bf16_data(dlogits));
    else
      kernels::cross_entropy_backward(launch, shape, lc.data_ptr<float>(), tc.data_ptr<int64_t>(), ignore_index,
                                      lse.data_ptr<float>(), scale.data_ptr<float>(), dlogits.data_ptr<float>());
    return {dlogits.to(dtype), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

// The forward and backward passes in one kernel (kernels::cross_entropy_forward_backward): the
// forward pass writes the logits' gradient for the expected upstream gradient and keeps only that
// (not the logits); the backward pass rescales it, in place and on the device, only where the
// upstream gradient it gets differs (see cross_entropy_rescale), and hands it on.
struct KokkosCrossEntropyWithGradient : public torch::autograd::Function<KokkosCrossEntropyWithGradient> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor logits, torch::Tensor targets,
                               int64_t ignore_index, torch::Tensor expected_grad, std::vector<int64_t> plan_values) {
    const auto plan = plan_from(plan_values);
    const auto shape = shape_of(logits, plan ? &*plan : nullptr);
    auto lc = model::kernel_operand(logits);
    auto tc = targets.to(torch::kInt64).contiguous();
    // The scale the gradient carries: a copy, since the backward pass updates it where it rescales.
    auto carried = expected_grad.to(lc.device(), torch::kFloat32).reshape({}).clone();
    auto loss = torch::empty({lc.size(0)}, lc.options().dtype(torch::kFloat32));
    auto dlogits = torch::empty_like(lc);
    const auto launch = model::launch_for(lc);
    if (lc.scalar_type() == torch::kBFloat16)
      kernels::cross_entropy_forward_backward(launch, shape, model::bf16_data(lc), tc.data_ptr<int64_t>(),
                                              ignore_index, carried.data_ptr<float>(), loss.data_ptr<float>(),
                                              model::bf16_data(dlogits));
    else
      kernels::cross_entropy_forward_backward(launch, shape, lc.data_ptr<float>(), tc.data_ptr<int64_t>(),
                                              ignore_index, carried.data_ptr<float>(), loss.data_ptr<float>(),
                                              dlogits.data_ptr<float>());
    ctx->save_for_backward({dlogits, carried});
    ctx->saved_data["dtype"] = static_cast<int64_t>(logits.scalar_type());
    return loss.sum();
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto& dlogits = saved[0];
    auto& carried = saved[1];
    const auto dtype = static_cast<torch::ScalarType>(ctx->saved_data["dtype"].toInt());
    auto actual = grads[0].to(dlogits.device(), torch::kFloat32).contiguous();  // 0-dim
    const auto launch = model::launch_for(dlogits);
    if (dlogits.scalar_type() == torch::kBFloat16)
      kernels::cross_entropy_rescale(launch, dlogits.numel(), carried.data_ptr<float>(), actual.data_ptr<float>(),
                                     model::bf16_data(dlogits));
    else
      kernels::cross_entropy_rescale(launch, dlogits.numel(), carried.data_ptr<float>(), actual.data_ptr<float>(),
                                     dlogits.data_ptr<float>());
    carried.copy_(actual);
    return {dlogits.to(dtype), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor summed_cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets, int64_t ignore_index,
                                   model::KernelBackend backend, const torch::Tensor& expected_grad,
                                   const kernels::CrossEntropyPlan* plan) {
  if (plan) kernels::check_cross_entropy_plan(*plan);  // on either backend: a bad plan is the caller's error
  TORCH_CHECK(logits.dim() == 2 && targets.dim() == 1 && targets.size(0) == logits.size(0),
              "summed_cross_entropy: expected logits [N, V] and targets [N], got ", logits.sizes(), " and ",
              targets.sizes());
  TORCH_CHECK(targets.device() == logits.device(), "summed_cross_entropy: logits on ", logits.device(),
              ", targets on ", targets.device());
  if (backend == model::KernelBackend::torch)
    return torch::nn::functional::cross_entropy(
        logits.to(torch::kFloat32), targets,
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(ignore_index).reduction(torch::kSum));
  if (expected_grad.defined() && logits.requires_grad() && torch::GradMode::is_enabled())
    return KokkosCrossEntropyWithGradient::apply(logits, targets, ignore_index, expected_grad, plan_fields(plan));
  return KokkosCrossEntropy::apply(logits, targets, ignore_index, plan_fields(plan));
}

}  // namespace star::model
