#pragma once
// The loss a training step runs backward from, shared by the trainer and the memory probe that
// sizes its first micro-batch (micro_batch_estimate.hpp).
#include <torch/torch.h>

#include "model/backbone.hpp"
#include "core/model_config.hpp"

namespace star::train {

// Sum of the cross-entropy over scored targets (kIgnoreTarget is not scored). With bf16, the
// forward pass runs under autocast; the loss takes the bf16 logits as they are (the kernels
// compute in fp32; the torch path casts them to fp32 first). `expected_grad`: the gradient the sum
// will get in the backward pass (0-dim, on the device), which lets the loss's kernels write the
// logits' gradient in the forward pass (model/ops/cross_entropy.hpp).
torch::Tensor summed_loss(model::Backbone& net, const torch::Tensor& inputs, const torch::Tensor& targets, bool bf16,
                          model::KernelBackend kernels, const torch::Tensor& expected_grad);

}  // namespace star::train
