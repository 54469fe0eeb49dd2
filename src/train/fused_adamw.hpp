#pragma once
// AdamW's update as one fused CUDA kernel (LibTorch's _fused_adamw_, what PyTorch's
// AdamW(fused=True, capturable=True) runs) over the state that torch::optim::AdamW keeps, so
// checkpoints and the CPU path stay those of torch::optim::AdamW. The C++ optimizer's own step
// launches about ten kernels per parameter tensor.
//
// The kernel reads the learning rate and the step count from device tensors, so a step queues
// no host value that changes from step to step: the same launches can be captured once in a CUDA
// graph and replayed (see step_graph.hpp). The eager path takes the same launches, so the two
// give the same bits.
#include <memory>
#include <vector>

#include <torch/torch.h>

namespace star::train {

class FusedAdamW {
 public:
  // Null where the fused kernel cannot take this optimizer: LibTorch before 2.2, amsgrad, or a
  // parameter that is not an fp32 CUDA tensor. The caller then uses optimizer.step(). Made after
  // any restore: the device step counts start from the state's.
  static std::unique_ptr<FusedAdamW> for_optimizer(torch::optim::AdamW& optimizer);

  // Sets the learning rate of every group: in the options (what a checkpoint saves) and in the
  // device tensor the kernel reads. Not inside a captured region.
  void set_learning_rate(double lr);
  // The host's record of one more step (the state's step counts, which checkpoints save); with
  // a replayed graph this is all the host does for the optimizer.
  void count_step();
  // Queues the update of every parameter with a gradient, its step count included. No host
  // synchronisation and no value baked in that changes between steps: capturable.
  void queue_update();

 private:
  explicit FusedAdamW(torch::optim::AdamW& optimizer);
  torch::optim::AdamW& optimizer_;
  std::vector<torch::Tensor> lr_, step_;  // per group: fp32 scalars on the parameters' device
};

// One step with a FusedAdamW made for it, for callers that step an optimizer by hand: true, or
// false (nothing changed) where the fused kernel cannot take the optimizer.
bool fused_adamw_step(torch::optim::AdamW& optimizer);

}  // namespace star::train
