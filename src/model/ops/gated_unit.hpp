#pragma once
// The gated unit of the gated MLPs (src/model/swiglu.hpp) as a differentiable torch op,
//
//   y = act(g) * u        with (g, u) = gate_up.chunk(2, -1)
//
// run either by the fused Kokkos kernels (kernels/gated_unit.hpp: gate_up read once with no
// chunk copies, the whole gradient of gate_up written in one pass, act(g) recomputed there instead
// of kept) or by LibTorch (the reference).
#include <torch/torch.h>

#include "core/model_config.hpp"

namespace star::model {

// gate_up: [..., 2h] (fp32 or bf16 as it comes, e.g. bf16 under autocast; other types via fp32)
// -> [..., h] of gate_up's type. nonlinearity: the operator genome's act (genome::kSilu, kGelu:
// exact erf, as torch::gelu, kSigmoid); any other value is the identity (the bilinear unit).
torch::Tensor gated_unit(const torch::Tensor& gate_up, int nonlinearity, KernelBackend backend);

// The pure LibTorch path, also the reference in tests.
torch::Tensor gated_unit_reference(const torch::Tensor& gate_up, int nonlinearity);

}  // namespace star::model
