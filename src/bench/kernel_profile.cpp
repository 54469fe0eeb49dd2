#include "bench/kernel_profile.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>
#include <torch/version.h>

#include "bench/idle_gaps.hpp"

#if TORCH_VERSION_MAJOR >= 2 && defined(STAR_WITH_CUDA)
#define STAR_KERNEL_PROFILE 1
#include <torch/csrc/autograd/profiler_kineto.h>
#endif

namespace star::bench {

KernelProfile::KernelProfile() = default;

KernelProfile::~KernelProfile() {
#ifdef STAR_KERNEL_PROFILE
  if (running_) torch::autograd::profiler::disableProfiler();
#endif
}

bool KernelProfile::available() {
#ifdef STAR_KERNEL_PROFILE
  return true;
#else
  return false;
#endif
}

void KernelProfile::start(bool host_events) {
#ifdef STAR_KERNEL_PROFILE
  namespace impl = torch::profiler::impl;
  const impl::ProfilerConfig config(impl::ProfilerState::KINETO);
  std::set<impl::ActivityType> activities = {impl::ActivityType::CUDA};
  if (host_events) activities.insert(impl::ActivityType::CPU);
  torch::autograd::profiler::prepareProfiler(config, activities);
  torch::autograd::profiler::enableProfiler(config, activities);
  running_ = true;
  started_ = std::chrono::steady_clock::now();
#else
  (void)host_events;
  throw std::runtime_error("--profile needs the CUDA build with LibTorch 2.x (it records CUDA kernels)");
#endif
}

std::vector<BusyInterval> KernelProfile::stop_gpu_intervals() {
  std::vector<BusyInterval> intervals;
#ifdef STAR_KERNEL_PROFILE
  torch::cuda::synchronize();
  auto result = torch::autograd::profiler::disableProfiler();
  running_ = false;
  for (const auto& e : result->events())
    if (e.deviceType() == c10::DeviceType::CUDA)
      intervals.push_back({static_cast<int64_t>(e.startNs()), static_cast<int64_t>(e.startNs() + e.durationNs())});
#endif
  return merge_intervals(std::move(intervals));
}

double KernelProfile::stop_and_print(int steps, int top, std::FILE* out, bool host_events) {
#ifdef STAR_KERNEL_PROFILE
  torch::cuda::synchronize();
  auto result = torch::autograd::profiler::disableProfiler();
  running_ = false;
  struct Total {
    double us = 0;
    int64_t calls = 0;
  };
  const double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
  std::map<std::string, Total> gpu, host;
  double gpu_us = 0;
  int64_t gpu_calls = 0;
  // The GPU's activities, for the gaps between them: printed beside the host events only.
  const bool gaps_printed = out != nullptr && host_events;
  std::vector<NamedInterval> activities;
  for (const auto& e : result->events()) {
    const bool on_gpu = e.deviceType() == c10::DeviceType::CUDA;
    auto& t = (on_gpu ? gpu : host)[e.name()];
    t.us += static_cast<double>(e.durationNs()) / 1e3;
    t.calls += 1;
    if (!on_gpu) continue;
    gpu_us += static_cast<double>(e.durationNs()) / 1e3;
    gpu_calls += 1;
    if (!gaps_printed) continue;
    const auto start = static_cast<int64_t>(e.startNs());
    activities.push_back({{start, start + static_cast<int64_t>(e.durationNs())}, e.name()});
  }
  const double per = 1.0 / std::max(1, steps), gpu_seconds_per_step = gpu_us * per / 1e6;
  if (out == nullptr) return gpu_seconds_per_step;
  auto print_top = [&](const std::map<std::string, Total>& by_name, const char* what, double share_of) {
    std::vector<std::pair<std::string, Total>> sorted(by_name.begin(), by_name.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second.us > b.second.us; });
    std::fprintf(out, "%9s %6s %7s  %s\n", "ms/step", "share", "calls", what);
    for (size_t i = 0; i < sorted.size() && static_cast<int>(i) < top; ++i) {
      const auto& [name, t] = sorted[i];
      std::fprintf(out, "%9.3f %5.1f%% %7lld  %s\n", t.us * per / 1e3, 100 * t.us / std::max(1.0, share_of),
                   static_cast<long long>(t.calls / std::max(1, steps)), short_kernel_name(name, 150).c_str());
    }
  };
  std::fprintf(out, "GPU time per step: %.1f ms in %lld kernels and copies (%zu distinct), of %.1f ms wall\n",
               gpu_us * per / 1e3, static_cast<long long>(gpu_calls / std::max(1, steps)), gpu.size(), wall_ms * per);
  print_top(gpu, "kernel", gpu_us);
  if (!host_events) return gpu_seconds_per_step;
  // The GPU's own idle time between the recorded activities (the steps' graph replays, say):
  // launches that come late, whatever the host does meanwhile.
  const auto gaps = idle_gaps(std::move(activities));
  int64_t idle_ns = 0, idle_count = 0;
  for (const auto& g : gaps) idle_ns += g.total_ns, idle_count += g.count;
  std::fprintf(out, "GPU idle between them: %.3f ms per step in %lld gaps; the largest by the pair around them:\n",
               static_cast<double>(idle_ns) * per / 1e6, static_cast<long long>(idle_count / std::max(1, steps)));
  std::fprintf(out, "%9s %7s  %s\n", "ms/step", "gaps", "before -> after");
  for (size_t i = 0; i < gaps.size() && static_cast<int>(i) < std::min(top, 12); ++i)
    std::fprintf(out, "%9.3f %7lld  %s -> %s\n", static_cast<double>(gaps[i].total_ns) * per / 1e6,
                 static_cast<long long>(gaps[i].count / std::max(1, steps)), short_kernel_name(gaps[i].before).c_str(),
                 short_kernel_name(gaps[i].after).c_str());
  // Host events nest (an op holds the ops and the CUDA calls it makes), so their times overlap;
  // shares are of the wall time. Where the GPU idles, the host's launches are the limit.
  std::fprintf(out, "Host (CPU ops and CUDA runtime calls, nested ones counted in each):\n");
  print_top(host, "host event", wall_ms * 1e3);
  return gpu_seconds_per_step;
#else
  (void)steps, (void)top, (void)out, (void)host_events;
  return 0;
#endif
}

}  // namespace star::bench
