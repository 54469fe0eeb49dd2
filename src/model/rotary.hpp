#pragma once
// Rotary position embedding (Su et al., RoFormer): rotates channel pairs of queries and keys by
// an angle proportional to the position, so q.k depends on relative position.
#include <torch/torch.h>

namespace star::model {

// x: [B, H, T, Dh] with Dh even -> same shape, rotated by position t * base^(-2i/Dh).
torch::Tensor apply_rotary(const torch::Tensor& x, double base);

}  // namespace star::model
