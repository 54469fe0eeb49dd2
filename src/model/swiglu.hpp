#pragma once
// GMemless: the SwiGLU channel mixer (Shazeer 2020), a memoryless LIV: T_ii = sigma(C).
//   y = W_down (silu(W_gate x) * W_up x)
// Featurizer: W_gate and W_up (one [2h, d] projection), shareable between SwiGLUs.
#include "model/liv.hpp"

namespace star::model {

LivBuilder swiglu_builder();

}  // namespace star::model
