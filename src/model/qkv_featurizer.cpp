#include "model/qkv_featurizer.hpp"

namespace star::model {

QkvFeaturizerImpl::QkvFeaturizerImpl(int64_t width, int64_t kv_width, bool with_keys_values) {
  auto linear = [&](const char* name, int64_t out) {
    return register_module(name, torch::nn::Linear(torch::nn::LinearOptions(width, out).bias(false)));
  };
  query = linear("query", width);
  if (with_keys_values) {
    key = linear("key", kv_width);
    value = linear("value", kv_width);
  }
}

}  // namespace star::model
