#include "train/peak_memory.hpp"

#include <sys/resource.h>

#if defined(STAR_WITH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace star::train {

void reset_peak_memory(const torch::Device& device) {
#if defined(STAR_WITH_CUDA)
  if (device.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(device.index());
#else
  (void)device;
#endif
}

int64_t peak_memory_bytes(const torch::Device& device) {
#if defined(STAR_WITH_CUDA)
  if (device.is_cuda()) {
    // allocated_bytes[0]: the aggregate over the allocator's pools.
    return c10::cuda::CUDACachingAllocator::getDeviceStats(device.index()).allocated_bytes[0].peak;
  }
#else
  (void)device;
#endif
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace star::train
