#pragma once
// The loss a training step runs backward from, shared by the trainer and the memory probe that
// sizes its first micro-batch (micro_batch_estimate.hpp).
#include <torch/torch.h>

#include "model/backbone.hpp"
#include "core/model_config.hpp"

namespace star::train {

// Sum of the cross-entropy over scored targets (kIgnoreTarget is not scored). With bf16, the
// forward pass runs under autocast; the loss takes the bf16 logits as they are (the kernels
// compute in fp32; the torch path casts them to fp32 first).
torch::Tensor summed_loss(model::Backbone& net, const torch::Tensor& inputs, const torch::Tensor& targets, bool bf16,
                          model::KernelBackend kernels);

}  // namespace star::train
