#include "model/cost_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "genome/liv_class.hpp"
#include "genome/sharing.hpp"
#include "model/derived_sizes.hpp"

namespace star::model {
namespace {

struct Sizes {
  double d, h, T, K, Dh, kv;  // width, SwiGLU hidden, sequence, conv taps, head width, SA-3 key-value width
};

// Forward multiply-adds per token of one LIV of a class that is not differential; `borrows`: it
// reuses an earlier LIV's feature groups.
double operator_macs(int class_id, bool borrows, const Sizes& s) {
  const double d = s.d, N = static_cast<double>(kStateSpaceSize);
  const double fft = 8 * d * std::log2(2 * s.T);  // three length-2T real FFTs per channel, per token
  const double filter_mlp = 2.0 * kFilterFrequencies * kFilterHidden + kFilterHidden * kFilterHidden + kFilterHidden * d;
  switch (class_id) {
    case 1: case 9: return 3 * d * s.h;                                             // GMemless, GMemless-2
    case 2: return 4 * d * d + s.K * d;                                              // GConv-1
    case 3: return 4 * d * d + s.T * d - (borrows ? 2 * d * d : 0.0);                // SA-1
    case 4:                                                                          // SA-2
      return 4 * d * d + 2 * d * s.Dh + std::min<double>(kLinearAttentionChunk, s.T) * d - (borrows ? 2 * d * d : 0.0);
    case 5: return 2 * d * d + 2 * d * s.kv + s.T * d - (borrows ? 2 * d * s.kv : 0.0);  // SA-3
    case 6: case 7: return 5 * d * d + 2 * d - (borrows ? 3 * d * d : 0.0);          // Rec-1, Rec-2
    case 8: return 4 * d * d + fft + filter_mlp;                                     // GConv-2
    case 10: return 3 * d * d + fft + d * N;                                         // S4-1
    case 11: return d * (3 * d + 2 * N) + d * d + 4 * d * N;                         // S4-2
    default: throw std::invalid_argument("cost estimate: no formula for LIV class " + std::to_string(class_id));
  }
}

}  // namespace

double training_flops_per_token(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len) {
  Sizes s;
  s.d = static_cast<double>(config.width);
  s.h = std::max(1.0, std::round(config.mlp_ratio * s.d));
  s.T = static_cast<double>(std::max<int64_t>(1, seq_len));
  s.K = static_cast<double>(config.conv_taps);
  s.Dh = s.d / static_cast<double>(config.heads);
  s.kv = static_cast<double>(grouped_kv_heads(config.heads)) * s.Dh;
  const auto fg_owner = genome::feature_group_owner(genome);
  double macs = s.d * static_cast<double>(config.vocab_size);
  for (size_t i = 0; i < genome.livs.size(); ++i) {
    const auto& cls = genome::liv_class(genome.livs[i].cls);
    const bool borrows = fg_owner[i] != static_cast<int>(i);
    macs += cls.differential_of == 0 ? operator_macs(cls.id, borrows, s)
                                     : 2 * operator_macs(cls.differential_of, borrows, s) + s.d;
  }
  return 6 * macs;
}

double training_flops(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len, int64_t tokens) {
  return training_flops_per_token(genome, config, seq_len) * static_cast<double>(tokens);
}

}  // namespace star::model
