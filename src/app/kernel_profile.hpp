#pragma once
// Where a training step's GPU time goes: records the CUDA kernels (and copies) of a stretch of
// steps through LibTorch's Kineto profiler and prints the kernels that took the most time, then
// the host events (ops, CUDA runtime calls) that did, against the wall time. For
// `star bench train --profile`; needs a CUDA build with LibTorch 2.x (elsewhere, start() says so).
#include <chrono>
#include <cstdio>
#include <memory>

namespace star::app {

class KernelProfile {
 public:
  KernelProfile();
  ~KernelProfile();
  // Throws std::runtime_error where this build cannot record CUDA kernels.
  void start();
  // Stops recording and prints the `top` kernels by total time, per step, to `out`, and (with
  // host_events) the `top` host events; nothing where out is null. Returns the GPU time per step
  // in seconds (every kernel and copy recorded, over `steps`).
  double stop_and_print(int steps, int top, std::FILE* out, bool host_events = true);

 private:
  bool running_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace star::app
