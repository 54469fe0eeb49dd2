#pragma once
// The featurizer of the attention-like LIVs (SA-1, SA-2, SA-3): projections of the input to
// queries (d -> d), and to keys and values (d -> kv_width each) when some LIV using this
// featurizer computes its own (LIVs that borrow keys and values need queries only).
#include <torch/torch.h>

namespace star::model {

class QkvFeaturizerImpl : public torch::nn::Module {
 public:
  QkvFeaturizerImpl(int64_t width, int64_t kv_width, bool with_keys_values);
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};  // key, value: null without them
};

}  // namespace star::model
