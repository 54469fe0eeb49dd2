#pragma once
// Peak memory of one evaluation. On a GPU: the peak of bytes allocated by torch's caching
// allocator since reset_peak_memory. On the CPU there is no per-evaluation figure: the process's
// peak resident set size so far, an upper bound.
#include <cstdint>

#include <torch/torch.h>

namespace star::train {

void reset_peak_memory(const torch::Device& device);
int64_t peak_memory_bytes(const torch::Device& device);

}  // namespace star::train
