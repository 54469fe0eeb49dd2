#pragma once
// Cross-entropy of logits against target classes, fused: the forward pass reads each row of
// logits once, the backward pass reads it once more and writes its gradient once (no fp32 copy
// of bf16 logits, no stored softmax).
//
//   lse[n]  = log sum_v exp(logits[n, v])                      (max-subtracted, fp32)
//   loss[n] = lse[n] - logits[n, targets[n]]                   (0 where targets[n] == ignore_index)
//   dlogits[n, v] = scale * (exp(logits[n, v] - lse[n]) - [v == targets[n]])   (0 in ignored rows)
//
// Layouts (row-major, contiguous): logits, dlogits: [N, V], fp32 or bf16 (one type for both; fp32
// arithmetic either way); targets: [N] int64; loss, lse: [N] fp32. scale is the upstream gradient
// of the summed loss, one float read where the kernel runs (device memory for a GPU launch), so
// nothing waits for the host. Deterministic (no atomics).
//
// A target outside [0, V) that is not ignore_index is never read through: its row's loss is NaN,
// and so is its gradient (the caller checks its data earlier; a NaN makes a miss loud).
#include <cstdint>

#include "bf16.hpp"
#include "launch.hpp"

namespace star::kernels {

struct CrossEntropyShape {
  int64_t rows = 0, classes = 0;  // N, V (V >= 1)
};

// Overwrites loss and lse (lse is 0 in ignored rows).
void cross_entropy_forward(const Launch& launch, const CrossEntropyShape& shape, const float* logits,
                           const int64_t* targets, int64_t ignore_index, float* loss, float* lse);
void cross_entropy_forward(const Launch& launch, const CrossEntropyShape& shape, const Bf16* logits,
                           const int64_t* targets, int64_t ignore_index, float* loss, float* lse);

// Overwrites dlogits from the forward's lse and the upstream gradient *grad_scale.
void cross_entropy_backward(const Launch& launch, const CrossEntropyShape& shape, const float* logits,
                            const int64_t* targets, int64_t ignore_index, const float* lse,
                            const float* grad_scale, float* dlogits);
void cross_entropy_backward(const Launch& launch, const CrossEntropyShape& shape, const Bf16* logits,
                            const int64_t* targets, int64_t ignore_index, const float* lse,
                            const float* grad_scale, Bf16* dlogits);

}  // namespace star::kernels
