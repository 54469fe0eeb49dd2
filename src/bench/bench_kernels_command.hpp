#pragma once
// star bench kernels: times the LIV kernels, the fused gated unit and rotary embedding and the fused loss
// (Kokkos) against their LibTorch reference paths, forward and backward, and prints the effective memory
// bandwidth.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>
#include <vector>

namespace star::bench {

struct BenchKernelsOptions {
  int64_t batch = 8, channels = 768, taps = 4;
  std::vector<int64_t> lengths = {1024, 4096, 16384};
  std::string device = "auto";  // auto | cpu | cuda
  int repeats = 20;             // timed calls per figure, after warm-up
  std::string dtype = "fp32";   // fp32 | bf16: the activations' and logits' type (weights and states stay fp32)
  int64_t rows = 8192, vocab = 50304;  // the cross-entropy's [N, V] logits
  // Kernel names to run (causal_conv1d, linear_scan, gated_unit, rotary, cross_entropy); empty = all.
  std::vector<std::string> only;
  std::vector<std::string> conv_plans, scan_plans, loss_plans;  // plans to compare (kernels/*.hpp), "a:b:c:d" each
  // After each Kokkos row, the GPU kernels of `repeats` more forward and backward calls (CUDA
  // builds with LibTorch 2.x): what the kernels themselves take, without the op's overheads.
  bool profile = false;
};

int run_bench_kernels(const BenchKernelsOptions& options);

// `star bench kernels ...`, under `bench`.
void add_bench_kernels_command(CLI::App& bench, app::Subcommands& out);
}  // namespace star::bench
