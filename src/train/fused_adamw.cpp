#include "train/fused_adamw.hpp"

#include <torch/version.h>

// LibTorch 2.2 added the overload of _fused_adamw_ that reads the learning rate from a tensor.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 2)
#define STAR_HAS_FUSED_ADAMW 1
#endif

namespace star::train {
namespace {

#if defined(STAR_HAS_FUSED_ADAMW)
const torch::optim::AdamWOptions& options_of(const torch::optim::OptimizerParamGroup& group) {
  return static_cast<const torch::optim::AdamWOptions&>(group.options());
}

// The state torch::optim::AdamW keeps for `p`, created as its first step would.
torch::optim::AdamWParamState& state_of(torch::optim::AdamW& optimizer, const torch::Tensor& p) {
  auto& state = optimizer.state();
  void* key = p.unsafeGetTensorImpl();  // LibTorch 2.x keys the state by the TensorImpl
  auto found = state.find(key);
  if (found == state.end()) {
    auto fresh = std::make_unique<torch::optim::AdamWParamState>();
    fresh->step(0);
    fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
    fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
    found = state.emplace(key, std::move(fresh)).first;
  }
  return static_cast<torch::optim::AdamWParamState&>(*found->second);
}
#endif

}  // namespace

std::unique_ptr<FusedAdamW> FusedAdamW::for_optimizer(torch::optim::AdamW& optimizer) {
#if defined(STAR_HAS_FUSED_ADAMW)
  bool any = false;
  for (auto& group : optimizer.param_groups()) {
    if (options_of(group).amsgrad()) return nullptr;
    for (const auto& p : group.params()) {
      if (!p.is_cuda() || p.scalar_type() != torch::kFloat32) return nullptr;
      any = true;
    }
  }
  if (!any) return nullptr;
  return std::unique_ptr<FusedAdamW>(new FusedAdamW(optimizer));
#else
  (void)optimizer;
  return nullptr;
#endif
}

// Before LibTorch 2.2 for_optimizer makes none, and the state is keyed otherwise.
FusedAdamW::FusedAdamW(torch::optim::AdamW& optimizer) : optimizer_(optimizer) {
#if defined(STAR_HAS_FUSED_ADAMW)
  for (auto& group : optimizer_.param_groups()) {
    const auto options = group.params().front().options().dtype(torch::kFloat32);
    // All parameters of a group step together (torch::optim::AdamW counts them one by one, but
    // the trainer steps every parameter that has a gradient, every step).
    int64_t steps = 0;
    for (const auto& p : group.params()) {
      auto found = optimizer_.state().find(p.unsafeGetTensorImpl());
      if (found != optimizer_.state().end())
        steps = std::max(steps, static_cast<torch::optim::AdamWParamState&>(*found->second).step());
    }
    lr_.push_back(torch::full({}, options_of(group).lr(), options));
    step_.push_back(torch::full({}, static_cast<double>(steps), options));
  }
#endif
}

void FusedAdamW::set_learning_rate(double lr) {
  for (size_t g = 0; g < lr_.size(); ++g) {
    static_cast<torch::optim::AdamWOptions&>(optimizer_.param_groups()[g].options()).lr(lr);
    lr_[g].fill_(lr);
  }
}

void FusedAdamW::count_step() {
#if defined(STAR_HAS_FUSED_ADAMW)
  for (auto& group : optimizer_.param_groups())
    for (const auto& p : group.params())
      if (p.grad().defined()) {
        auto& s = state_of(optimizer_, p);
        s.step(s.step() + 1);
      }
#endif
}

void FusedAdamW::queue_update() {
#if defined(STAR_HAS_FUSED_ADAMW)
  torch::NoGradGuard no_grad;
  for (size_t g = 0; g < step_.size(); ++g) {
    auto& group = optimizer_.param_groups()[g];
    const auto& options = options_of(group);
    std::vector<torch::Tensor> params, grads, exp_avgs, exp_avg_sqs;
    for (const auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& s = state_of(optimizer_, p);
      params.push_back(p);
      grads.push_back(p.grad());
      exp_avgs.push_back(s.exp_avg());
      exp_avg_sqs.push_back(s.exp_avg_sq());
    }
    if (params.empty()) continue;
    step_[g].add_(1);  // the kernel reads the count after this step, one tensor for all
    std::vector<torch::Tensor> steps(params.size(), step_[g]);
    const auto [beta1, beta2] = options.betas();
    at::_fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, /*max_exp_avg_sqs=*/{}, steps, lr_[g], beta1, beta2,
                      options.weight_decay(), options.eps(), /*amsgrad=*/false, /*maximize=*/false);
  }
#endif
}

bool fused_adamw_step(torch::optim::AdamW& optimizer) {
  auto fused = FusedAdamW::for_optimizer(optimizer);
  if (!fused) return false;
  fused->count_step();
  fused->queue_update();
  return true;
}

}  // namespace star::train
