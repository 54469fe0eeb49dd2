#pragma once
// The builder of the classes whose featurizer is one bias-free input projection, d -> a width
// the class chooses (GMemless: 2h, GConv-1 and GConv-2: 3d, S4-1: 2d, S4-2: 3d + 2N), and whose
// LIV needs only the configuration, that featurizer and fixed extra arguments.
#include <functional>

#include "model/liv.hpp"

namespace star::model {

// Impl(const ModelConfig&, std::shared_ptr<torch::nn::Module> featurizer, Extra...).
template <class Impl, class... Extra>
LivBuilder projection_featurizer_builder(std::function<int64_t(const ModelConfig&)> width_of, Extra... extra) {
  LivBuilder b;
  b.make_featurizer = [width_of](const ModelConfig& config, const FeaturizerNeeds&) -> std::shared_ptr<torch::nn::Module> {
    return torch::nn::Linear(torch::nn::LinearOptions(config.width, width_of(config)).bias(false)).ptr();
  };
  b.make_liv = [extra...](const ModelConfig& config, const LivPlan&, std::shared_ptr<torch::nn::Module> featurizer)
      -> std::shared_ptr<LivImpl> { return std::make_shared<Impl>(config, std::move(featurizer), extra...); };
  return b;
}

}  // namespace star::model
