#pragma once
// A genome's training cost before it is trained, for handing out the longest genomes first.
// Plain C++ (no torch: neither this header nor cost_estimate.cpp includes one, though the file is
// built into star_model): counts the multiply-adds of one token's forward pass from the genome
// and the model sizes. It need only order genomes well, not predict seconds.
#include <cstdint>
#include <vector>

#include "core/model_config.hpp"
#include "genome/genome.hpp"

namespace star::model {

// Training FLOPs per token: 6 x forward multiply-adds (2 FLOPs each, backward twice the forward).
// Per LIV (d = width, h = SwiGLU hidden width, T = seq_len, K = conv taps, Dh = d / heads,
// kv = SA-3's key-value width, N = kStateSpaceSize, F, Hf = GConv-2's filter sizes,
// fft = 8 d log2(2T): three real FFTs of length 2T per channel, per token):
//   GMemless, GMemless-2  3 d h                    (gate and up d -> 2h, down h -> d)
//   GConv-1          4 d^2 + K d                   (in d -> 3d, out d -> d, depthwise taps)
//   SA-1             4 d^2 + T d                   (q k v o projections; causal scores and values,
//                                                   T/2 keys on average, twice); a LIV that reuses
//                                                   an earlier LIV's keys and values skips 2 d^2
//   SA-3             2 d^2 + 2 d kv + T d          (reusing keys and values skips 2 d kv)
//   SA-2             4 d^2 + 2 d Dh + min(64, T) d (state update and readout, Dh^2 a head each;
//                                                   quadratic inside a chunk); reusing skips 2 d^2
//   Rec-1, Rec-2     5 d^2 + 2 d                   (state inputs d -> 3d, readout, out; the scan);
//                                                   reusing the state skips 3 d^2
//   GConv-2          4 d^2 + fft + 2F Hf + Hf^2 + Hf d   (the filter MLP counted per token)
//   S4-1             3 d^2 + fft + d N             (in d -> 2d, out; the kernel's N terms)
//   S4-2             d (3d + 2N) + d^2 + 4 d N     (in, out; decay, input, scan, readout)
//   differential     2 x its base class + d
//   a multi-path block of k paths: k d more (the weighted sum), 2 k d with token gates
//   a routed block: m^2 + m d + m more (its LTC router's step, m = kRoutingState)
// plus the output head (d x vocab). Throws std::invalid_argument for an unknown class.
double training_flops_per_token(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len);

// Forward multiply-adds per token of each LIV, as above (a block's mixer and router counted at
// its first LIV; the head in none).
std::vector<double> forward_macs_per_liv(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len);

// The whole training of a genome: FLOPs per token x tokens.
double training_flops(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len, int64_t tokens);

}  // namespace star::model
