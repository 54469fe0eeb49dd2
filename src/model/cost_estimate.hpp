#pragma once
// A genome's training cost before it is trained, for handing out the longest genomes first.
// Plain C++ (no torch): counts the multiply-adds of one token's forward pass from the genome and
// the model sizes. It need only order genomes well, not predict seconds.
#include <cstdint>

#include "genome/genome.hpp"
#include "model/model_config.hpp"

namespace star::model {

// Training FLOPs per token: 6 x forward multiply-adds (2 FLOPs each, backward twice the forward).
// Per LIV (d = width, h = SwiGLU hidden width, T = seq_len, K = conv taps):
//   SwiGLU          3 d h                      (gate and up d -> 2h, down h -> d)
//   GConv           4 d^2 + K d                (in d -> 3d, out d -> d, depthwise taps)
//   attention       4 d^2 + T d                (q k v o projections; causal scores and values,
//                                               T/2 keys on average, twice); a LIV that reuses
//                                               an earlier LIV's keys and values skips 2 d^2
// plus the output head (d x vocab). Throws std::invalid_argument for an unknown class.
double training_flops_per_token(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len);

// The whole training of a genome: FLOPs per token x tokens.
double training_flops(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len, int64_t tokens);

}  // namespace star::model
