// Kokkos start-up and shut-down, and the per-stream execution space instances.
#include <cstdlib>
#include <map>
#include <mutex>

#include "impl/execution.hpp"
#include "launch.hpp"

namespace star::kernels {
namespace {
std::mutex g_mutex;
bool g_started_here = false;
#if defined(KOKKOS_ENABLE_CUDA)
std::map<void*, Kokkos::Cuda>& instances() {
  static std::map<void*, Kokkos::Cuda> map;
  return map;
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
}  // namespace impl

}  // namespace star::kernels
