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

// How a GPU's teams sweep a row (the host always walks one row per one-thread team). Every plan
// gives the same results for the same team_threads (the accesses are folded in the same order).
// `star bench kernels --only cross_entropy --rows 65536 --dtype bf16 --loss-plans
// 512:2,512:4,256:4,1024:4,256:2` on an H100, the fused pass: 6.6 ms at the default, 7.1 with 4
// loads, 9.4 at 1024 threads; 256:2 gave 6.5, about what the default's figure moves between runs
// (6.6 to 6.7), so the default stayed.
struct CrossEntropyPlan {
  int team_threads = 512;  // most threads in a row's team (a multiple of 32, from 32 to 1024)
  int accesses = 2;        // loads a thread issues before folding any of them: 2 or 4
};
void check_cross_entropy_plan(const CrossEntropyPlan& plan);  // throws std::invalid_argument for a plan no kernel has

struct CrossEntropyShape {
  int64_t rows = 0, classes = 0;  // N, V (V >= 1)
  const CrossEntropyPlan* plan = nullptr;  // null: the defaults
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

// The forward and backward passes in one, where the upstream gradient is known before the
// backward pass (a training step's is 1 / the scored targets): overwrites loss and dlogits, the
// latter for the upstream gradient *grad_scale, sweeping each row twice right after another (the
// second sweep finds the row in cache where the rows in flight fit it). The backward pass then
// has nothing left to read: the logits' gradient is ready, and their memory can go as soon as
// the forward pass ends. At 65536 x 50304 bf16 the second sweep misses the cache and the pass
// takes 6.6 ms on an H100 (two reads and a write at the copy's bandwidth). Holding each row in
// registers instead (one 512-thread team per SM, 13 loads of 16 bytes a thread, the row read
// once) was slower, 8.4 ms: with one row per SM its loads, reductions and gradient do not
// overlap (2026-12-06; not kept).
void cross_entropy_forward_backward(const Launch& launch, const CrossEntropyShape& shape, const float* logits,
                                    const int64_t* targets, int64_t ignore_index, const float* grad_scale, float* loss,
                                    float* dlogits);
void cross_entropy_forward_backward(const Launch& launch, const CrossEntropyShape& shape, const Bf16* logits,
                                    const int64_t* targets, int64_t ignore_index, const float* grad_scale, float* loss,
                                    Bf16* dlogits);

// Where the upstream gradient turns out other than expected: dlogits, written for *carried, are
// multiplied by *actual / *carried, and nothing happens where they are equal (the kernel reads
// both; nothing waits for the host). count: the elements of dlogits.
void cross_entropy_rescale(const Launch& launch, int64_t count, const float* carried, const float* actual,
                           float* dlogits);
void cross_entropy_rescale(const Launch& launch, int64_t count, const float* carried, const float* actual,
                           Bf16* dlogits);

}  // namespace star::kernels
