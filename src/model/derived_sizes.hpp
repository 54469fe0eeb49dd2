#pragma once
// Sizes the LIV classes derive from the model's width and heads (the configuration names only
// those): one place, read by the modules, the cost estimate and the tests. Plain C++, no torch.
// analysis/genome_motifs.py mirrors the ones that enter the cache size.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/model_config.hpp"
#include "genome/operator_genome.hpp"

namespace star::model {

// Key-value heads of attention whose keys and values are repeated `repeat` times (the featurizer
// genome's repeat factor): the largest divisor of heads that is at most heads / repeat (at least
// 1). Repeat 1 is multi-head attention; SA-3 repeats 4 times: 12 heads -> 3, 8 -> 2, 4 or 2 -> 1.
inline int64_t kv_heads_for(int64_t heads, int64_t repeat) {
  for (int64_t kv = heads / repeat; kv > 1; --kv)
    if (heads % kv == 0) return kv;
  return 1;
}
inline int64_t grouped_kv_heads(int64_t heads) { return kv_heads_for(heads, 4); }

// Structured sparsity of the operator genome: the tokens of a band (banded: each token sees the
// last kSparsityWindow tokens, itself included) or of a block (block-diagonal: tokens see only
// their own block of kSparsityWindow). Sliding-window attention keeps at most this many keys.
constexpr int64_t kSparsityWindow = 256;

// SA-2: tokens per chunk of the chunked linear attention (quadratic inside, cumulative state across).
constexpr int64_t kLinearAttentionChunk = 64;

// Rec-2: tokens per chunk of the chunked parallel scan.
constexpr int64_t kScanChunk = 32;

// S4-1, S4-2: state size N per channel of the diagonal state space (Mamba's and S4D's default).
constexpr int64_t kStateSpaceSize = 16;

// S4-Monarch: a d x d Monarch matrix factors d = b1 x b2, b1 the largest divisor of d that is
// at most sqrt(d): b1 blocks of b2 x b2, a fixed permutation (the [b1, b2] -> [b2, b1]
// transpose), b2 blocks of b1 x b1, the permutation back (Dao et al. 2022). d (b1 + b2) weights
// instead of d^2: 8,192 against 65,536 at d = 256. A prime d degenerates to one dense block.
struct MonarchBlocks {
  int64_t b1 = 1, b2 = 1;
};
inline MonarchBlocks monarch_blocks(int64_t d) {
  int64_t b1 = 1;
  for (int64_t b = 1; b * b <= d; ++b)
    if (d % b == 0) b1 = b;
  return {b1, d / b1};
}
inline int64_t monarch_weights(int64_t d) {
  const auto b = monarch_blocks(d);
  return d * (b.b1 + b.b2);
}

// LTC routing (model/ltc_router.hpp): the per-token routing state's size, and the gate below
// which a token may skip a routed block at inference.
constexpr int64_t kRoutingState = 8;
constexpr double kSkipThreshold = 0.1;

// GConv-2: sinusoid pairs of the implicit filter's positional features, and the filter MLP width.
constexpr int64_t kFilterFrequencies = 8;
constexpr int64_t kFilterHidden = 32;

// GMemless family: the hidden width h, [model] mlp_ratio x d times the featurizer genome's
// expansion (x1, x2 or x1/2), at least 1.
inline int64_t gated_mlp_hidden_width(const ModelConfig& config, const genome::OperatorSpec& spec) {
  const double expansion = spec.groups.empty()                               ? 1.0
                           : spec.groups[0].expansion == genome::kExpandTwo  ? 2.0
                           : spec.groups[0].expansion == genome::kExpandHalf ? 0.5
                                                                             : 1.0;
  return std::max<int64_t>(1, std::llround(expansion * config.mlp_ratio * static_cast<double>(config.width)));
}

}  // namespace star::model
