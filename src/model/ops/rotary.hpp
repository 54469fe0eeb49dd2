#pragma once
// Rotary position embedding (Su et al., RoFormer): rotates channel pairs of queries and keys by
// an angle proportional to the position, so q.k depends on relative position. Channel i pairs
// with i + Dh/2 (the two halves of a head). Run either by the fused Kokkos kernels
// (kernels/rotary.hpp: x read where it lies, angles computed in the kernel, one pass each way) or
// by LibTorch (the reference: cos and sin tables, then elementwise products and a cat).
#include <array>

#include <torch/torch.h>

#include "core/model_config.hpp"

namespace star::model {

// x: [B, H, T, Dh] with Dh even, any strides (e.g. split heads of a fused QKV projection) -> same
// shape and type, rotated by position t * base^(-2i/Dh). The Kokkos path returns the transpose of
// a contiguous [B, T, H, Dh] tensor (the layout attention kernels read as it is), the reference a
// contiguous [B, H, T, Dh] one.
torch::Tensor apply_rotary(const torch::Tensor& x, double base, KernelBackend backend);

// qkv: [B, T, (H + 2 Hkv) Dh], the queries', keys' and values' heads of one product side by side
// (channels contiguous) -> {queries [B, H, T, Dh] and keys [B, Hkv, T, Dh] rotated as by
// apply_rotary, values [B, Hkv, T, Dh]}. On the Kokkos path the backward pass writes qkv's
// gradient as one tensor: the rotations undone straight into its query and key heads, the
// values' gradient copied beside them. (Split first and rotated apart, the three gradients were
// joined by a cat: one more read and write of the whole projection.) The values are a view of qkv
// (of its contiguous copy where its channels are strided).
std::array<torch::Tensor, 3> rotary_queries_keys_values(const torch::Tensor& qkv, int64_t heads, int64_t kv_heads,
                                                        double base, KernelBackend backend);

// The pure LibTorch path, also the reference in tests. `first_position`: the position of x's
// first token (incremental inference rotates a token at its place in the sequence).
torch::Tensor apply_rotary_reference(const torch::Tensor& x, double base, int64_t first_position = 0);

}  // namespace star::model
