#pragma once
// GMemless classes: gated memoryless channel mixers, T_ii = sigma(C), no token mixing.
//   GMemless   (SwiGLU, Shazeer 2020):  y = W_down (silu(W_gate x) * W_up x)
//   GMemless-2 (GeGLU):                 y = W_down (gelu(W_gate x) * W_up x)
// Featurizer: W_gate and W_up (one [2h, d] projection), shareable within a class. No feature
// groups to share, no cache. Pure LibTorch.
#include "model/liv.hpp"

namespace star::model {

LivBuilder swiglu_builder();  // GMemless
LivBuilder geglu_builder();   // GMemless-2

}  // namespace star::model
