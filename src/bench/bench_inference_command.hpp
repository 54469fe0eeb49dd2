#pragma once
// star bench inference: incremental inference timed on a device for one or more genomes at a
// given size (train/inference_timing.hpp, the measured objectives' own code): prefill time of a
// prompt, decode time per token at each context, peak memory while decoding, beside the bytes
// the cache formula predicts and the order it predicts.
#include <cstdint>
#include <string>
#include <vector>

#include "app/subcommand.hpp"

namespace star::bench {

struct BenchInferenceOptions {
  std::vector<std::string> genomes;  // "text" or "label=text", each a motif repeated to `depth`
  int64_t depth = 0;                 // LIVs; 0 = each genome's own
  int64_t width = 768, heads = 12, vocab = 50304;
  double mlp_ratio = 8.0 / 3.0;
  int64_t prompt = 4096;                          // prefill: tokens of the prompt
  std::vector<int64_t> contexts = {4096, 32768};  // decode: tokens in the cache
  int64_t batch = 1;
  int64_t repeats = 10, warmup = 3;
  std::string device = "auto";     // auto | cpu | cuda
  std::string precision = "auto";  // auto (bf16 on a GPU) | bf16 | fp32
  std::string kernels = "kokkos";  // the prefill's LIV hot paths: kokkos | torch
};

int run_bench_inference(const BenchInferenceOptions& options);

void add_bench_inference_command(CLI::App& bench, app::Subcommands& out);

}  // namespace star::bench
