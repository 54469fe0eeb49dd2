#include "app/compute_setup.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "kernels/launch.hpp"

namespace star::app {

std::string ComputeSetup::describe() const {
  return device.str() + ", " + std::to_string(threads) + " CPU thread" + (threads == 1 ? "" : "s");
}

bool runs_on_gpu(const io::RunSettings& run) { return run.device != "cpu" && torch::cuda::is_available(); }

ComputeSetup setup_compute(const io::RunSettings& run, int node_rank, int node_size) {
  ComputeSetup setup;
  const bool cuda = torch::cuda::is_available();
  if (run.device == "cuda" && !cuda)
    throw std::runtime_error("[run] device = \"cuda\", but torch sees no CUDA device on this node");
  int gpu = 0;
  if (cuda && run.device != "cpu") {
    gpu = node_rank % static_cast<int>(torch::cuda::device_count());
    setup.device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(gpu));
  }
  // Intra-op threads: the node's cores shared among its ranks unless the configuration says.
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  setup.threads = run.threads_per_rank > 0 ? run.threads_per_rank : std::max(1, cores / std::max(1, node_size));
  torch::set_num_threads(setup.threads);
  kernels::initialize(gpu);
  return setup;
}

}  // namespace star::app
