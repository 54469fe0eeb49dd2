#include "model/qkv_featurizer.hpp"

#include <cmath>

#include "model/ops/causal_conv.hpp"

namespace star::model {

QkvFeaturizerImpl::QkvFeaturizerImpl(const ModelConfig& config, const genome::OperatorSpec& spec, int64_t kv_width,
                                     bool with_keys_values)
    : backend_(config.kernels), taps_(config.conv_taps) {
  auto diagonal = [&](int g) {
    return static_cast<size_t>(g) < spec.groups.size() && spec.groups[g].channel_mixing == genome::kDiagonalScale;
  };
  static const char* scale_names[] = {"query_scale", "key_scale", "value_scale"};
  auto make = [&](int g, const char* name, int64_t out) -> torch::nn::Linear {
    if (!diagonal(g)) return register_module(name, torch::nn::Linear(torch::nn::LinearOptions(config.width, out).bias(false)));
    TORCH_CHECK(out == config.width, "a diagonal feature group keeps the width ", config.width, ", not ", out);
    // Near 1 and not all equal, so that queries, keys and values start apart.
    scales_[g] = register_parameter(scale_names[g], 1.0 + 0.02 * torch::randn({config.width}));
    return torch::nn::Linear{nullptr};
  };
  query = make(0, "query", config.width);
  if (with_keys_values) {
    key = make(1, "key", kv_width);
    value = make(2, "value", kv_width);
  }
  static const char* names[] = {"query_filter", "key_filter", "value_filter"};
  const int64_t widths[] = {config.width, kv_width, kv_width};
  for (int g = 0; g < 3; ++g) {
    const bool convolved = static_cast<size_t>(g) < spec.groups.size() &&
                           spec.groups[g].token_mixing == genome::kShortConvolution && (g == 0 || with_keys_values);
    if (!convolved) continue;
    // Starts as the identity (the last tap 1), so a convolved featurizer trains like a plain one at first.
    auto filter = torch::zeros({widths[g], taps_});
    filter.select(1, taps_ - 1).fill_(1.0);
    filters_[g] = register_parameter(names[g], filter);
  }
}

torch::Tensor QkvFeaturizerImpl::convolve(int group, const torch::Tensor& features, LivCache* cache) {
  if (!filters_[group].defined()) return features;
  if (!cache) return causal_conv1d(features, filters_[group], backend_);
  static const char* names[] = {"query_history", "key_history", "value_history"};
  return causal_conv1d_continued(features, filters_[group], cache->state[names[group]]);
}

torch::Tensor QkvFeaturizerImpl::featurize(int group, torch::nn::Linear& projection, const torch::Tensor& x,
                                           LivCache* cache) {
  return convolve(group, scales_[group].defined() ? x * scales_[group] : projection->forward(x), cache);
}

torch::Tensor QkvFeaturizerImpl::stacked_projection(const torch::Tensor& x) {
  return torch::linear(x, torch::cat({query->weight, key->weight, value->weight}));
}

std::array<torch::Tensor, 3> QkvFeaturizerImpl::queries_keys_values(const torch::Tensor& x, LivCache* cache) {
  if (!query || !key || !value) return {queries(x, cache), keys(x, cache), values(x, cache)};  // some group is a diagonal scale
  const auto parts = stacked_projection(x).split_with_sizes({query->weight.size(0), key->weight.size(0), value->weight.size(0)}, -1);
  return {convolve(0, parts[0], cache), convolve(1, parts[1], cache), convolve(2, parts[2], cache)};
}

torch::Tensor QkvFeaturizerImpl::plain_queries_keys_values(const torch::Tensor& x) {
  const bool convolved = filters_[0].defined() || filters_[1].defined() || filters_[2].defined();
  if (!query || !key || !value || convolved) return {};
  return stacked_projection(x);
}

torch::Tensor QkvFeaturizerImpl::queries(const torch::Tensor& x, LivCache* cache) { return featurize(0, query, x, cache); }
torch::Tensor QkvFeaturizerImpl::keys(const torch::Tensor& x, LivCache* cache) { return featurize(1, key, x, cache); }
torch::Tensor QkvFeaturizerImpl::values(const torch::Tensor& x, LivCache* cache) { return featurize(2, value, x, cache); }

int64_t QkvFeaturizerImpl::convolution_cache_values(bool own_keys_values) const {
  int64_t values = 0;
  for (int g = 0; g < 3; ++g)
    if (filters_[g].defined() && (g == 0 || own_keys_values)) values += (taps_ - 1) * filters_[g].size(0);
  return values;
}

}  // namespace star::model
