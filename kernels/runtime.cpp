// Kokkos start-up and shut-down, the per-stream execution space instances and word buffers.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "impl/execution.hpp"
#include "launch.hpp"

namespace star::kernels {
namespace {
std::mutex g_mutex;
bool g_started_here = false;
#if defined(KOKKOS_ENABLE_CUDA)
// Never destroyed: finalize runs at exit, after function-local statics made later than its
// registration would have been destroyed, and it must still find them to clear.
std::map<void*, Kokkos::Cuda>& instances() {
  static auto* map = new std::map<void*, Kokkos::Cuda>;
  return *map;
}
using DeviceWords = Kokkos::View<uint64_t*, Kokkos::CudaSpace>;
std::map<void*, DeviceWords>& device_words() {
  static auto* map = new std::map<void*, DeviceWords>;
  return *map;
}
#endif
}  // namespace

bool gpu_backend_available() {
#if defined(KOKKOS_ENABLE_CUDA)
  return true;
#else
  return false;
#endif
}

void initialize(int gpu_device) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (Kokkos::is_initialized()) return;
#if KOKKOS_VERSION >= 40000
  Kokkos::initialize(Kokkos::InitializationSettings().set_device_id(gpu_device).set_disable_warnings(true));
#else
  Kokkos::InitArguments args;
  args.device_id = gpu_device;
  args.disable_warnings = true;
  Kokkos::initialize(args);
#endif
  g_started_here = true;
  std::atexit([] { finalize(); });
}

void finalize() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_started_here || !Kokkos::is_initialized()) return;
#if defined(KOKKOS_ENABLE_CUDA)
  instances().clear();
  device_words().clear();
#endif
  Kokkos::finalize();
  g_started_here = false;
}

namespace impl {
DeviceExec device_instance(void* stream) {
#if defined(KOKKOS_ENABLE_CUDA)
  // torch's default (legacy) stream is null: Kokkos' own default instance runs on a blocking
  // stream, which the legacy stream synchronises with.
  if (stream == nullptr) return DeviceExec();
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = instances().find(stream);
  if (it == instances().end())
    it = instances().emplace(stream, Kokkos::Cuda(static_cast<cudaStream_t>(stream))).first;
  return it->second;
#else
  (void)stream;
  return DeviceExec();
#endif
}

uint64_t* stream_words(const Launch& launch, int64_t count) {
  const size_t wanted = static_cast<size_t>(count > 1 ? count : 1);
  if (!launch.on_gpu) {
    thread_local std::vector<uint64_t> words;
    if (words.size() < wanted) words.assign(wanted, 0);
    return words.data();
  }
#if defined(KOKKOS_ENABLE_CUDA)
  const DeviceExec exec = device_instance(launch.stream);
  std::lock_guard<std::mutex> lock(g_mutex);
  DeviceWords& words = device_words()[launch.stream];
  if (words.extent(0) < wanted) {
    // Twice what is asked, so a slowly growing size does not reallocate every call. Dropping
    // the old buffer frees it with cudaFree, which waits for the kernels still using it.
    words = DeviceWords();
    words = DeviceWords(Kokkos::view_alloc(Kokkos::WithoutInitializing, "star::stream_words"), 2 * wanted);
    Kokkos::deep_copy(exec, words, uint64_t(0));
  }
  return words.data();
#else
  throw std::runtime_error("star kernels: this build has no GPU backend, but a GPU launch was asked for");
#endif
}

bool capturing(const Launch& launch) {
#if defined(KOKKOS_ENABLE_CUDA)
  if (!launch.on_gpu) return false;
  cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
  return cudaStreamIsCapturing(static_cast<cudaStream_t>(launch.stream), &status) == cudaSuccess &&
         status == cudaStreamCaptureStatusActive;
#else
  (void)launch;
  return false;
#endif
}

void clear_words(const Launch& launch, uint64_t* words, int64_t count) {
  if (!launch.on_gpu) {
    std::fill(words, words + count, uint64_t(0));
    return;
  }
#if defined(KOKKOS_ENABLE_CUDA)
  if (cudaMemsetAsync(words, 0, static_cast<size_t>(count) * sizeof(uint64_t), static_cast<cudaStream_t>(launch.stream)) !=
      cudaSuccess)
    throw std::runtime_error("star kernels: clearing the stream's words failed");
#endif
}

uint32_t next_launch_tag() {
  static std::atomic<uint32_t> last{0};
  uint32_t tag = ++last;
  while (tag == 0) tag = ++last;
  return tag;
}
}  // namespace impl

}  // namespace star::kernels
