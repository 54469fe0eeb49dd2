#pragma once
// The training loss: the cross-entropy of logits against target tokens, summed over rows, run
// either by the fused Kokkos kernels (kernels/cross_entropy.hpp: bf16 logits read once forward,
// once backward, no fp32 copy and no stored softmax) or by torch's cross_entropy on fp32 logits
// (the reference, and what the trainer did before the kernels).
#include <torch/torch.h>

#include "core/model_config.hpp"
#include "kernels/cross_entropy.hpp"

namespace star::model {

// logits: [N, V] (fp32 or bf16; the kernels take other types through fp32), targets: [N] int64
// -> 0-dim fp32: sum over rows of logsumexp(logits[n]) - logits[n, targets[n]]; rows whose target
// is ignore_index add 0 and get a zero gradient. Differentiable in logits; no host sync.
// A target outside [0, V) makes torch throw, and the kernels give a NaN loss (the trainer checks
// its data before). `expected_grad` (0-dim fp32, on the logits' device; optional): the gradient
// the backward pass is expected to bring to the sum, e.g. 1 / the scored targets of a step. Given
// it, the Kokkos path writes the logits' gradient in the forward pass while each row is in cache
// and keeps it instead of the logits (one pass over the 50k-wide logits of a language model
// fewer); any other upstream gradient is still honoured, by a rescale on the device.
// `plan`: how the Kokkos kernels spread the rows over a GPU's teams (null: the defaults; only the
// benchmark and the kernel tests choose one). Throws for a plan no kernel has.
torch::Tensor summed_cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets, int64_t ignore_index,
                                   model::KernelBackend backend, const torch::Tensor& expected_grad = {},
                                   const kernels::CrossEntropyPlan* plan = nullptr);

}  // namespace star::model
