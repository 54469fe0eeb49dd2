#include "model/cost_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "genome/blocks.hpp"
#include "genome/liv_class.hpp"
#include "genome/sharing.hpp"
#include "model/derived_sizes.hpp"

namespace star::model {
namespace {

struct Sizes {
  double d, T, K, heads;  // width, sequence, conv taps, [model] heads
};

// Forward multiply-adds per token of one LIV computing `spec` (one copy of a differential pair);
// `borrows`: it reuses an earlier LIV's feature groups.
double operator_macs(const genome::OperatorSpec& spec, const ModelConfig& config, bool borrows, const Sizes& s) {
  using F = genome::Family;
  const double d = s.d, N = static_cast<double>(kStateSpaceSize);
  const double fft = 8 * d * std::log2(2 * s.T);  // three length-2T real FFTs per channel, per token
  const double filter_mlp = 2.0 * kFilterFrequencies * kFilterHidden + kFilterHidden * kFilterHidden + kFilterHidden * d;
  // Tokens a query or state mixes: all before it, or at most a band or block.
  const double window = spec.op.sparsity == genome::kNoSparsity ? s.T : std::min<double>(s.T, kSparsityWindow);
  const double heads = spec.op.channel_mixing == genome::kMultiHead ? s.heads : 1.0;
  const double Dh = d / heads;
  // Featurizer genome: a group with token mixing 2 is convolved after its projection (K taps).
  // A feature group of width w: a d x w projection or a diagonal scale (d), then maybe K taps.
  auto group_macs = [&](size_t group, double group_width) {
    const bool in_range = group < spec.groups.size();
    const bool scaled = in_range && spec.groups[group].channel_mixing == genome::kDiagonalScale;
    const bool convolved = in_range && spec.groups[group].token_mixing == genome::kShortConvolution;
    return (scaled ? d : d * group_width) + (convolved ? s.K * group_width : 0.0);
  };
  switch (genome::family_of(spec.op)) {
    case F::memoryless: return 3 * d * static_cast<double>(gated_mlp_hidden_width(config, spec));
    case F::convolution: return 4 * d * d + s.K * d;
    case F::attention: {
      const double kv = static_cast<double>(kv_heads_for(static_cast<int64_t>(heads), spec.groups[1].repeat)) * Dh;
      return d * d + window * d + group_macs(0, d) + (borrows ? 0.0 : group_macs(1, kv) + group_macs(2, kv));
    }
    case F::linear_attention: {
      const double chunk = spec.op.sparsity == genome::kBlockDiagonal ? window : std::min<double>(kLinearAttentionChunk, s.T);
      return d * d + 2 * d * Dh + chunk * d + group_macs(0, d) + (borrows ? 0.0 : group_macs(1, d) + group_macs(2, d));
    }
    case F::recurrence: return 5 * d * d + 2 * d - (borrows ? 3 * d * d : 0.0);
    case F::long_convolution: return 4 * d * d + fft + filter_mlp;
    case F::state_space:  // S4-Monarch costs what S4-1 does: model/monarch.hpp applies the dense product
      return spec.op.token_mixing == genome::kSemiSeparable ? d * (3 * d + 2 * N) + d * d + 4 * d * N  // S4-2
                                                           : 3 * d * d + fft + d * N;                // S4-1
  }
  return 0;
}

}  // namespace

std::vector<double> forward_macs_per_liv(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len) {
  Sizes s;
  s.d = static_cast<double>(config.width);
  s.T = static_cast<double>(std::max<int64_t>(1, seq_len));
  s.K = static_cast<double>(config.conv_taps);
  s.heads = static_cast<double>(config.heads);
  const auto fg_owner = genome::feature_group_owner(genome);
  std::vector<double> macs;
  for (size_t i = 0; i < genome.livs.size(); ++i) {
    const auto& cls = genome::liv_class(genome.livs[i].cls);
    const bool borrows = fg_owner[i] != static_cast<int>(i);
    const double one = operator_macs(genome::operator_for(genome, cls.id), config, borrows, s);
    macs.push_back(cls.differential_of == 0 ? one : 2 * one + s.d);
  }
  // Multi-path blocks: the weighted sum of k paths, and token gates' d -> k layer; routed blocks:
  // the router's step. Counted at the block's first LIV.
  for (const auto& b : genome::blocks_of(genome)) {
    const double k = b.paths, m = static_cast<double>(kRoutingState);
    if (b.paths > 1) macs[static_cast<size_t>(b.first)] += k * s.d + (b.mixer == genome::Mixer::token_gates ? k * s.d : 0.0);
    if (b.routed) macs[static_cast<size_t>(b.first)] += m * m + m * s.d + m;
  }
  return macs;
}

double training_flops_per_token(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len) {
  const auto per_liv = forward_macs_per_liv(genome, config, seq_len);
  return 6 * (static_cast<double>(config.width) * static_cast<double>(config.vocab_size) +
              std::accumulate(per_liv.begin(), per_liv.end(), 0.0));
}

double training_flops(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len, int64_t tokens) {
  return training_flops_per_token(genome, config, seq_len) * static_cast<double>(tokens);
}

}  // namespace star::model
