#include "train/step_loss.hpp"

#include "model/ops/cross_entropy.hpp"
#include "train/precision.hpp"
#include "train/task_dataset.hpp"

namespace star::train {

torch::Tensor summed_loss(model::Backbone& net, const torch::Tensor& inputs, const torch::Tensor& targets, bool bf16,
                          model::KernelBackend kernels, const torch::Tensor& expected_grad) {
  torch::Tensor logits;
  {
    AutocastScope autocast(inputs.device(), bf16);
    logits = net->forward(inputs);
  }
  return model::summed_cross_entropy(logits.reshape({-1, logits.size(-1)}), targets.reshape({-1}), kIgnoreTarget, kernels,
                                     expected_grad);
}

}  // namespace star::train
