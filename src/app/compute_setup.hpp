#pragma once
// Where this rank computes: the torch device (one GPU per rank, by node-local rank), the CPU
// threads torch may use, and the Kokkos runtime on the same device.
#include <string>

#include <torch/torch.h>

#include "io/config.hpp"

namespace star::app {

struct ComputeSetup {
  torch::Device device = torch::kCPU;
  int threads = 1;
  std::string describe() const;
};

// Whether the run's genomes train on a GPU of this node ([run] device and what torch sees).
bool runs_on_gpu(const io::RunSettings& run);

// node_rank / node_size: this rank among the ranks of its node.
ComputeSetup setup_compute(const io::RunSettings& run, int node_rank, int node_size);

}  // namespace star::app
