#pragma once
// The elementwise linear recurrence of the recurrent LIVs as a differentiable torch op,
//
//   h[:, t] = a[:, t] * h[:, t - 1] + x[:, t]        h[:, -1] = h0 (zeros when not given)
//
// run either by the Kokkos chunked scan (kernels/linear_scan.hpp) or by a log-step scan in
// LibTorch (the reference).
#include <torch/torch.h>

#include "core/model_config.hpp"
#include "kernels/linear_scan.hpp"

namespace star::model {

// a, x: [B, T, C]; h0: [B, C] or undefined -> h: [B, T, C]. `plan`: how the Kokkos kernels
// block the scan, forward and backward (null: the defaults; only the benchmark and the kernel
// tests choose one). Throws for a plan no kernel has.
torch::Tensor linear_scan(const torch::Tensor& a, const torch::Tensor& x, KernelBackend backend,
                          const torch::Tensor& h0 = {}, const kernels::ScanPlan* plan = nullptr);

// The pure LibTorch path (Hillis-Steele: log2 T steps, each combining pairs (A, S) that lie d
// steps apart), also the reference in tests.
torch::Tensor linear_scan_reference(const torch::Tensor& a, const torch::Tensor& x, const torch::Tensor& h0 = {});

}  // namespace star::model
