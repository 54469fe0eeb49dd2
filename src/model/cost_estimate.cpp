#include "model/cost_estimate.hpp"

#include <cmath>

#include "genome/liv_class.hpp"
#include "genome/sharing.hpp"

namespace star::model {

double training_flops_per_token(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len) {
  const double d = static_cast<double>(config.width), T = static_cast<double>(seq_len);
  const double h = std::max(1.0, std::round(config.mlp_ratio * d)), K = static_cast<double>(config.conv_taps);
  const auto kv_owner = genome::feature_group_owner(genome);
  double macs = d * static_cast<double>(config.vocab_size);
  for (size_t i = 0; i < genome.livs.size(); ++i) {
    switch (genome::liv_class(genome.livs[i].cls).family) {
      case genome::Family::memoryless: macs += 3 * d * h; break;
      case genome::Family::convolution: macs += 4 * d * d + K * d; break;
      case genome::Family::attention:
        macs += 4 * d * d + T * d - (kv_owner[i] != static_cast<int>(i) ? 2 * d * d : 0.0);
        break;
    }
  }
  return 6 * macs;
}

double training_flops(const genome::Genome& genome, const ModelConfig& config, int64_t seq_len, int64_t tokens) {
  return training_flops_per_token(genome, config, seq_len) * static_cast<double>(tokens);
}

}  // namespace star::model
