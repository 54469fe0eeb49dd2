#pragma once
// Size and inference-cache metrics of a built model: two of STAR's objectives.
#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/backbone.hpp"

namespace star::model {

// The module's parameters, each shared tensor (a tied head, a shared featurizer) once: torch's
// parameters() lists a tensor registered in two modules twice.
std::vector<torch::Tensor> unique_parameters(const torch::nn::Module& module);

// Number of trainable values, each shared tensor counted once.
int64_t parameter_count(const torch::nn::Module& module);

struct LivSummary {
  int index = 0;
  std::string class_name;   // e.g. "SA-1"
  int64_t parameters = 0;   // its own weights and the featurizer it owns (shared ones counted at the owner); at
                            // a block's first LIV also the block's norm and path mixer
  int64_t cache_bytes = 0;  // per sequence, at the requested length and dtype
  int featurizer_owner = 0, feature_group_owner = 0;
};

struct ModelSummary {
  std::vector<LivSummary> livs;
  int64_t parameters = 0;   // the whole model, embedding included, shared weights once
  int64_t cache_bytes = 0;  // sum over LIVs
};

ModelSummary summarize(const Backbone& model, int64_t seq_len, int64_t bytes_per_value);

}  // namespace star::model
