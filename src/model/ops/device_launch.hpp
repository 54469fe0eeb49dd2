#pragma once
// Where a kernel should run for a given tensor: on its CUDA device and torch's current stream,
// or on the host.
#include <torch/torch.h>

#include "kernels/bf16.hpp"
#include "kernels/launch.hpp"

namespace star::model {

kernels::Launch launch_for(const torch::Tensor& t);

// The kernels take activations as fp32 or bf16: whether they take this dtype as it is (others
// are converted to fp32 and back).
inline bool kernels_take(torch::ScalarType type) { return type == torch::kFloat32 || type == torch::kBFloat16; }
// The type the kernels compute a tensor of `type` in: that type where they take it, else fp32.
inline torch::ScalarType kernel_type(torch::ScalarType type) { return kernels_take(type) ? type : torch::kFloat32; }
// x as the kernels read it: contiguous, in kernel_type (a copy only where either changes).
inline torch::Tensor kernel_operand(const torch::Tensor& x) {
  return x.to(kernel_type(x.scalar_type())).contiguous();
}

// A bf16 tensor's data as the kernels' Bf16 (the same 16 bits as at::BFloat16).
inline const kernels::Bf16* bf16_data(const torch::Tensor& t) {
  return reinterpret_cast<const kernels::Bf16*>(t.data_ptr<at::BFloat16>());
}
inline kernels::Bf16* bf16_data(torch::Tensor& t) { return reinterpret_cast<kernels::Bf16*>(t.data_ptr<at::BFloat16>()); }

// The sum over the first axis of a backward kernel's fp32 partial rows ([rows, ...] -> [...]),
// added in a fixed order by the sum_rows kernel, on the partials' device and stream.
torch::Tensor sum_partial_rows(const torch::Tensor& partial);

// An optional fp32 tensor's data: null where it is undefined (the kernels' "absent").
inline const float* float_data(const torch::Tensor& t) { return t.defined() ? t.data_ptr<float>() : nullptr; }
inline float* float_data(torch::Tensor& t) { return t.defined() ? t.data_ptr<float>() : nullptr; }

}  // namespace star::model
