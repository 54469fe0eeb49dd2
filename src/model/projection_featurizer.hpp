#pragma once
// The builder of the families whose featurizer is one bias-free input projection, d -> a width
// the family chooses from the configuration and the operator spec (GMemless: 2h, GConv-1 and
// GConv-2: 3d, S4-1: 2d, S4-2: 3d + 2N), and whose LIV needs only the configuration, its plan
// and that featurizer.
#include <functional>

#include "model/liv.hpp"

namespace star::model {

// Impl(const ModelConfig&, const LivPlan&, std::shared_ptr<torch::nn::Module> featurizer).
template <class Impl>
LivBuilder projection_featurizer_builder(std::function<int64_t(const ModelConfig&, const genome::OperatorSpec&)> width_of) {
  LivBuilder b;
  b.make_featurizer = [width_of](const ModelConfig& config, const genome::OperatorSpec& spec,
                                 const FeaturizerNeeds&) -> std::shared_ptr<torch::nn::Module> {
    return torch::nn::Linear(torch::nn::LinearOptions(config.width, width_of(config, spec)).bias(false)).ptr();
  };
  b.make_liv = [](const ModelConfig& config, const LivPlan& plan, std::shared_ptr<torch::nn::Module> featurizer)
      -> std::shared_ptr<LivImpl> { return std::make_shared<Impl>(config, plan, std::move(featurizer)); };
  return b;
}

}  // namespace star::model
