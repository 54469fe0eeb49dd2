#pragma once
// The gated MLP's three products around the gated unit, with the hidden width padded to a
// multiple of `alignment` for the call:
//
//   y = W_down (act(W_gate x) * W_up x)      W_gate_up: [2h, d] (gate rows, then up rows), W_down: [d, h]
//
// Why: at h = round(8/3 d) (683 at d = 256) every GEMM of the MLP has a dimension that is not a
// multiple of 8, so cuBLAS takes its unaligned (align1) kernels, and the gated unit's rows start
// at odd offsets, so it reads one bf16 at a time. (torch.compile's pad_mm pass pads such GEMMs
// the same way where it measures a gain.) The weights are padded with zero rows (gate and up)
// and zero columns (down), a copy of the weights only: each added hidden channel is
// act(0) * 0 = 0 and meets a zero column, so y is the same sum; its gradient there is zero too
// (dy W_down's zero column), and the pads' backward drops the padded rows and columns. Only the
// GEMMs' summation blocking may differ, so results agree within rounding, not bitwise.
#include <torch/torch.h>

#include "core/model_config.hpp"

namespace star::model {

// The bf16 GEMMs' alignment (16 bytes), and enough for fp32's (4).
constexpr int64_t kGemmAlignment = 8;

// x: [..., d]. nonlinearity and backend as gated_unit's. alignment 1 (or h already a multiple):
// the three products as they are.
torch::Tensor aligned_gated_mlp(const torch::Tensor& x, const torch::Tensor& w_gate_up, const torch::Tensor& w_down,
                                int nonlinearity, KernelBackend backend, int64_t alignment);

}  // namespace star::model
