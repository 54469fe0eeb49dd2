#pragma once
// The residual add and the RMSNorm after it (src/model/rms_norm.hpp) as one differentiable torch
// op, the link between two LIVs in the backbone:
//
//   h_out = h + delta,   y = h_out / rms(h_out) * gain
//
// run either by the fused Kokkos kernels (kernels/add_rms_norm.hpp: one pass each way instead of
// an add, a norm and a cast, and y comes out in delta's type, e.g. bf16 under autocast, ready for
// the next LIV's projections) or by LibTorch (the reference).
#include <torch/torch.h>

#include "core/model_config.hpp"

namespace star::model {

struct AddedAndNormed {
  torch::Tensor h;  // h + delta: the residual stream, fp32
  torch::Tensor y;  // its norm, in delta's type on the Kokkos path; as rms_norm gives it on the torch path
};

// h: [..., d] fp32; delta: h's shape, fp32 or bf16 (other types, or h not fp32, take the torch
// path); gain [d].
AddedAndNormed add_rms_norm(const torch::Tensor& h, const torch::Tensor& delta, const torch::Tensor& gain, double eps,
                            KernelBackend backend);

// RMSNorm of x alone, the pure LibTorch path (one fused kernel on the GPU with LibTorch >= 2.8).
torch::Tensor rms_norm_reference(const torch::Tensor& x, const torch::Tensor& gain, double eps);

}  // namespace star::model
