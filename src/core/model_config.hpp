#pragma once
// Sizes of a model built from a genome. Plain data, no torch, so io/ can fill it from TOML.
#include <cstdint>
#include <string>

namespace star::model {

// Which implementation runs the LIV hot paths: our Kokkos kernels, or plain LibTorch (the
// reference the kernels are tested against).
enum class KernelBackend { kokkos, torch };

struct ModelConfig {
  int64_t vocab_size = 16;
  int64_t width = 64;        // d: channels of the residual stream
  int64_t heads = 4;         // attention heads (width must divide by it)
  int64_t conv_taps = 3;     // K of the gated short convolution
  double mlp_ratio = 2.0;    // SwiGLU hidden width = round(mlp_ratio * width)
  double rope_base = 10000.0;
  // Standard deviation of the token embedding's initial weights (the output head is tied to
  // them). 0.02 is GPT-2's; larger values (0.2) shorten the plateau before attention learns
  // in-context recall about tenfold on small models (inputs/science_recall.toml).
  double embedding_init_std = 0.02;
  KernelBackend kernels = KernelBackend::kokkos;
};

std::string to_string(KernelBackend backend);
KernelBackend kernel_backend_from_string(const std::string& name);  // throws std::invalid_argument

}  // namespace star::model
