#pragma once
// Where a training step's GPU time goes: records the CUDA kernels (and copies) of a stretch of
// steps through LibTorch's Kineto profiler and prints the kernels that took the most time, the
// GPU's idle gaps between them, then the host events (ops, CUDA runtime calls) that took the
// most, against the wall time (`star bench train --profile`); or returns the intervals in which
// the GPU ran them (`star bench generation`'s busy time). Needs a CUDA build with LibTorch 2.x
// (elsewhere, start() says so).
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

#include "bench/busy_intervals.hpp"

namespace star::bench {

class KernelProfile {
 public:
  KernelProfile();
  ~KernelProfile();
  // Whether this build can record CUDA kernels.
  static bool available();
  // Throws std::runtime_error where this build cannot record CUDA kernels. Without host_events
  // only the GPU's activity is recorded: the host's ops run at full speed.
  void start(bool host_events = true);
  // Stops recording and prints the `top` kernels by total time, per step, to `out`, and (with
  // host_events) the GPU's idle gaps between them (bench/idle_gaps.hpp) and the `top` host
  // events; nothing where out is null. Returns the GPU time per step
  // in seconds (every kernel and copy recorded, over `steps`).
  double stop_and_print(int steps, int top, std::FILE* out, bool host_events = true);
  // Stops recording and returns when the GPU ran this process's kernels and copies, merged
  // (busy_intervals.hpp), in nanoseconds since the Unix epoch (Kineto's clock).
  std::vector<BusyInterval> stop_gpu_intervals();

 private:
  bool running_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace star::bench
