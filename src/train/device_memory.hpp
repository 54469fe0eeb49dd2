#pragma once
// The memory one evaluation holds on its device, and giving it back; waiting for the device.
//
// Peak: on a GPU, the peak of bytes allocated by torch's caching allocator since
// reset_peak_memory. On the CPU there is no per-evaluation figure: the process's peak resident
// set size so far, an upper bound.
//
// Giving back: torch's caching allocator keeps what a training freed for the process's next
// allocation, and a training replayed as a CUDA graph frees into the graph's own pool, which no
// later training can reuse. Ranks that share a GPU (a search's groups) would then each hold the
// memory of every training they ran, until one of them runs out; so each training hands its
// cached memory back to the device when it ends.
#include <cstdint>

#include <torch/torch.h>

namespace star::train {

// Waits for the device's queued work (nothing on the CPU): before a peak is read, and around
// whatever is timed.
void synchronize(const torch::Device& device);

void reset_peak_memory(const torch::Device& device);
int64_t peak_memory_bytes(const torch::Device& device);

// Bytes in the tensors this process holds on a GPU now; 0 on the CPU.
int64_t allocated_memory_bytes(const torch::Device& device);
// Bytes torch's caching allocator holds on a GPU without a tensor in them (what it keeps for
// later allocations); 0 on the CPU.
int64_t cached_memory_bytes(const torch::Device& device);
// Bytes a training starting now could hold on a GPU: what the device has free plus what torch's
// caching allocator holds unused (it hands that out first); -1 on the CPU (not known).
int64_t available_memory_bytes(const torch::Device& device);
// Returns the caching allocator's unused memory on a GPU to the device (graph pools whose graph
// was destroyed included, and cuBLAS's workspaces: call it with no captured graph alive);
// nothing on the CPU.
void release_cached_memory(const torch::Device& device);

}  // namespace star::train
