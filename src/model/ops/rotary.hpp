#pragma once
// Rotary position embedding (Su et al., RoFormer): rotates channel pairs of queries and keys by
// an angle proportional to the position, so q.k depends on relative position. Channel i pairs
// with i + Dh/2 (the two halves of a head). Run either by the fused Kokkos kernels
// (kernels/rotary.hpp: x read where it lies, angles computed in the kernel, one pass each way) or
// by LibTorch (the reference: cos and sin tables, then elementwise products and a cat).
#include <torch/torch.h>

#include "core/model_config.hpp"

namespace star::model {

// x: [B, H, T, Dh] with Dh even, any strides (e.g. split heads of a fused QKV projection) -> same
// shape and type, rotated by position t * base^(-2i/Dh). The Kokkos path returns the transpose of
// a contiguous [B, T, H, Dh] tensor (the layout attention kernels read as it is), the reference a
// contiguous [B, H, T, Dh] one.
torch::Tensor apply_rotary(const torch::Tensor& x, double base, KernelBackend backend);

// The pure LibTorch path, also the reference in tests. `first_position`: the position of x's
// first token (incremental inference rotates a token at its place in the sequence).
torch::Tensor apply_rotary_reference(const torch::Tensor& x, double base, int64_t first_position = 0);

}  // namespace star::model
