#pragma once
// star bench train: the trainer's own training steps on one genome at a given size, timed after
// warm-up: tokens per second (on a GPU with and without the step replayed as a CUDA graph),
// model TFLOP/s and MFU, and peak memory.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>

namespace star::bench {

struct BenchTrainOptions {
  std::string genome;        // repeated to `depth` LIVs when depth is larger
  int64_t depth = 0;         // LIVs; 0 = the genome's own
  int64_t width = 768, heads = 12, vocab = 50304;
  double mlp_ratio = 2.0;    // SwiGLU hidden width / width (8/3 in Transformer++)
  int64_t batch = 16, seq = 4096;
  int64_t micro_batch = 0;   // sequences per forward pass (gradient accumulation); 0 = the batch
  int64_t steps = 20, warmup = 5;
  std::string device = "auto";  // auto | cpu | cuda
  std::string precision = "auto";  // auto (bf16 on a GPU) | bf16 | fp32
  std::string kernels = "kokkos";  // kokkos | torch: which path runs the LIV hot paths
  double peak_tflops = 0;       // the card's dense bf16 peak for MFU; 0 = H100/H200's 989 on CUDA, none on the CPU
  int threads = 0;              // torch CPU threads; 0 = the machine's cores
  int profile_steps = 0;        // > 0: record that many timed steps' CUDA kernels and print the top ones
  std::string cuda_graphs = "both";  // both (on a GPU: off, then auto) | auto | off: [train] cuda_graphs
};

int run_bench_train(const BenchTrainOptions& options);

// `star bench train --genome G ...`, under `bench`.
void add_bench_train_command(CLI::App& bench, app::Subcommands& out);
}  // namespace star::bench
