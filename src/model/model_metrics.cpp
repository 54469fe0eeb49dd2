#include "model/model_metrics.hpp"

#include <stdexcept>
#include <string>
#include <unordered_set>

#include "genome/liv_class.hpp"

namespace star::model {

std::vector<torch::Tensor> unique_parameters(const torch::nn::Module& module) {
  std::vector<torch::Tensor> params;
  std::unordered_set<const void*> seen;
  for (const auto& p : module.parameters(/*recurse=*/true))
    if (seen.insert(p.unsafeGetTensorImpl()).second) params.push_back(p);
  return params;
}

int64_t parameter_count(const torch::nn::Module& module) {
  int64_t total = 0;
  for (const auto& p : unique_parameters(module)) total += p.numel();
  return total;
}

ModelSummary summarize(const Backbone& model, int64_t seq_len, int64_t bytes_per_value) {
  ModelSummary summary;
  const auto& plans = model->plans();
  for (size_t i = 0; i < plans.size(); ++i) {
    const int index = static_cast<int>(i);
    LivSummary s;
    s.index = index;
    s.class_name = genome::liv_class(plans[i].gene.cls).short_name;
    s.parameters = parameter_count(model->liv(index));
    if (const auto* norm = model->norm(index)) s.parameters += parameter_count(*norm);
    if (const auto* mixer = model->owned_mixer(index)) s.parameters += parameter_count(*mixer);
    if (const auto* featurizer = model->owned_featurizer(index)) s.parameters += parameter_count(*featurizer);
    s.cache_bytes = model->liv(index).cache_bytes(seq_len, bytes_per_value);
    s.featurizer_owner = plans[i].featurizer_owner;
    s.feature_group_owner = plans[i].feature_group_owner;
    // Sizes from the configuration's bounds fit one LIV in 64 bits; a sum over a deep model may not.
    if (s.cache_bytes < 0 || __builtin_add_overflow(summary.cache_bytes, s.cache_bytes, &summary.cache_bytes))
      throw std::overflow_error("the inference cache at " + std::to_string(seq_len) +
                                " tokens is too large to count in 64 bits");
    summary.livs.push_back(s);
  }
  summary.parameters = parameter_count(*model);
  return summary;
}

}  // namespace star::model
