#include "model/model_metrics.hpp"

#include <unordered_set>

#include "genome/liv_class.hpp"

namespace star::model {

int64_t parameter_count(const torch::nn::Module& module) {
  std::unordered_set<const void*> seen;
  int64_t total = 0;
  for (const auto& p : module.parameters(/*recurse=*/true))
    if (seen.insert(p.unsafeGetTensorImpl()).second) total += p.numel();
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
    s.parameters = parameter_count(model->liv(index)) + parameter_count(model->norm(index));
    if (const auto* featurizer = model->owned_featurizer(index)) s.parameters += parameter_count(*featurizer);
    s.cache_bytes = model->liv(index).cache_bytes(seq_len, bytes_per_value);
    s.featurizer_owner = plans[i].featurizer_owner;
    s.feature_group_owner = plans[i].feature_group_owner;
    summary.cache_bytes += s.cache_bytes;
    summary.livs.push_back(s);
  }
  summary.parameters = parameter_count(*model);
  return summary;
}

}  // namespace star::model
