#include "train/device_memory.hpp"

#include <sys/resource.h>

#include <stdexcept>
#include <string>

#if defined(STAR_WITH_CUDA)
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>  // and with it the CUDA runtime (cudaMemGetInfo)
#include <c10/cuda/CUDAGuard.h>
#include <torch/version.h>
#if TORCH_VERSION_MAJOR >= 2
#include <ATen/cuda/CUDAContextLight.h>  // at::cuda::clearCublasWorkspaces
#endif
#endif

namespace star::train {
namespace {
#if defined(STAR_WITH_CUDA)
c10::DeviceIndex index_of(const torch::Device& device) {
  return device.has_index() ? device.index() : c10::cuda::current_device();
}
#endif
}  // namespace

void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

void reset_peak_memory(const torch::Device& device) {
#if defined(STAR_WITH_CUDA)
  if (device.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(index_of(device));
#else
  (void)device;
#endif
}

int64_t peak_memory_bytes(const torch::Device& device) {
#if defined(STAR_WITH_CUDA)
  if (device.is_cuda()) {
    // allocated_bytes[0]: the aggregate over the allocator's pools.
    return c10::cuda::CUDACachingAllocator::getDeviceStats(index_of(device)).allocated_bytes[0].peak;
  }
#else
  (void)device;
#endif
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

int64_t allocated_memory_bytes(const torch::Device& device) {
#if defined(STAR_WITH_CUDA)
  if (device.is_cuda()) return c10::cuda::CUDACachingAllocator::getDeviceStats(index_of(device)).allocated_bytes[0].current;
#else
  (void)device;
#endif
  return 0;
}

int64_t cached_memory_bytes(const torch::Device& device) {
#if defined(STAR_WITH_CUDA)
  if (device.is_cuda()) {
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index_of(device));
    return stats.reserved_bytes[0].current - stats.allocated_bytes[0].current;
  }
#else
  (void)device;
#endif
  return 0;
}

int64_t available_memory_bytes(const torch::Device& device) {
#if defined(STAR_WITH_CUDA)
  if (device.is_cuda()) {
    c10::cuda::CUDAGuard guard(index_of(device));
    size_t free = 0, total = 0;
    const cudaError_t error = cudaMemGetInfo(&free, &total);
    if (error != cudaSuccess) throw std::runtime_error(std::string("cudaMemGetInfo failed: ") + cudaGetErrorString(error));
    return static_cast<int64_t>(free) + cached_memory_bytes(device);
  }
#else
  (void)device;
#endif
  return -1;
}

void release_cached_memory(const torch::Device& device) {
#if defined(STAR_WITH_CUDA)
  if (device.is_cuda()) {
#if TORCH_VERSION_MAJOR >= 2
    // cuBLAS's workspaces (four of 32 MiB each after a training on an H200, one per handle and
    // stream) come from the caching allocator and live until cleared. One carved out of a freed
    // block of a larger segment keeps that whole segment from going back. Cleared, nothing of a
    // training stays allocated; the next matrix product allocates them afresh.
    at::cuda::clearCublasWorkspaces();
#endif
    c10::cuda::CUDACachingAllocator::emptyCache();
  }
#else
  (void)device;
#endif
}

}  // namespace star::train
