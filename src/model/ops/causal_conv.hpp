#pragma once
// The causal depthwise convolution of GConv-1 as a differentiable torch op, run either by the
// Kokkos kernel (kernels/causal_conv1d.hpp) or by torch's grouped conv1d (the reference).
#include <torch/torch.h>

#include "core/model_config.hpp"
#include "kernels/causal_conv1d.hpp"

namespace star::model {

// x: [B, T, C], weight: [C, K] -> [B, T, C]; y[b,t,c] = sum_j weight[c,j] * x[b, t-K+1+j, c].
// `plan`: how the Kokkos kernels tile the work, forward and backward (null: the defaults; only
// the benchmark and the kernel tests choose one). Throws for a plan no kernel has.
torch::Tensor causal_conv1d(const torch::Tensor& x, const torch::Tensor& weight, KernelBackend backend,
                            const kernels::ConvPlan* plan = nullptr);

// The gated short convolution's mixer: p = [b | c | x] ([B, T, 3C], as GConv-1's in-projection
// gives it), weight [C, K] -> c * causal_conv1d(b * x) [B, T, C]. The Kokkos backend runs it as
// one kernel each way (kernels::gated_causal_conv1d_*) where the filter has at most 8 taps; the
// torch backend, and longer filters, as the two products around causal_conv1d.
torch::Tensor gated_causal_conv1d(const torch::Tensor& p, const torch::Tensor& weight, KernelBackend backend);

// The pure LibTorch path, also the reference in tests.
torch::Tensor causal_conv1d_reference(const torch::Tensor& x, const torch::Tensor& weight);

// Incremental inference: the convolution of x [B, T, C] continuing a sequence whose last K - 1
// inputs `history` holds ([B, K - 1, C]; undefined: nothing before x, as zeros). Leaves x's
// sequence's last K - 1 inputs in `history`. LibTorch.
torch::Tensor causal_conv1d_continued(const torch::Tensor& x, const torch::Tensor& weight, torch::Tensor& history);

}  // namespace star::model
