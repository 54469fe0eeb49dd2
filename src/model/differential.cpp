#include "model/differential.hpp"

#include <cstddef>

namespace star::model {
namespace {

class FeaturizerPairImpl : public torch::nn::Module {
 public:
  FeaturizerPairImpl(std::shared_ptr<torch::nn::Module> first_featurizer,
                     std::shared_ptr<torch::nn::Module> second_featurizer)
      : first(register_module("first", std::move(first_featurizer))),
        second(register_module("second", std::move(second_featurizer))) {}
  std::shared_ptr<torch::nn::Module> first, second;
};

class DifferentialImpl : public LivImpl {
 public:
  DifferentialImpl(const ModelConfig& config, const LivPlan& plan, const FeaturizerPairImpl& featurizers,
                   const LivBuilder& base)
      : plan_(plan) {
    first_ = register_module("first", base.make_liv(config, plan, featurizers.first));
    second_ = register_module("second", base.make_liv(config, plan, featurizers.second));
    lambda_ = register_parameter("lambda", torch::full({1}, 0.5));
  }

  torch::Tensor forward(const torch::Tensor& x, FeatureStore& features) override {
    return combine(features, [&](LivImpl& copy, size_t, FeatureStore& own) { return copy.forward(x, own); });
  }
  // Each copy keeps its own cache.
  torch::Tensor prefill(const torch::Tensor& x, FeatureStore& features, LivCache& cache) override {
    cache.copies.resize(2);
    for (auto& c : cache.copies) c.capacity = cache.capacity;
    return combine(features, [&](LivImpl& copy, size_t which, FeatureStore& own) {
      return copy.prefill(x, own, cache.copies[which]);
    });
  }
  torch::Tensor decode(const torch::Tensor& x, int64_t position, FeatureStore& features, LivCache& cache) override {
    return combine(features, [&](LivImpl& copy, size_t which, FeatureStore& own) {
      return copy.decode(x, position, own, cache.copies[which]);
    });
  }
  int64_t cache_bytes(int64_t seq_len, int64_t bytes_per_value) const override {
    return first_->cache_bytes(seq_len, bytes_per_value) + second_->cache_bytes(seq_len, bytes_per_value);
  }

 private:
  // op1 - lambda op2, each copy run by `run(copy, which, its store)`.
  template <class Run>
  torch::Tensor combine(FeatureStore& features, Run run) {
    auto first = run_copy(*first_, 0, features, run);
    return first - lambda_ * run_copy(*second_, 1, features, run);
  }

  // Runs one copy on a store of its own: the owner keeps both copies' groups under its index, the
  // first copy's then the second's (equally many, the base class being the same), and a borrowing
  // copy sees only its counterpart's.
  template <class Run>
  torch::Tensor run_copy(LivImpl& copy, size_t which, FeatureStore& features, Run run) {
    FeatureStore own;
    if (plan_.borrows_features()) {
      const auto& both = features.at(plan_.feature_group_owner);
      const auto n = static_cast<std::ptrdiff_t>(both.size() / 2), first = static_cast<std::ptrdiff_t>(which) * n;
      own[plan_.feature_group_owner].assign(both.begin() + first, both.begin() + first + n);
    }
    auto y = run(copy, which, own);
    if (!plan_.borrows_features() && own.count(plan_.index)) {
      auto& kept = features[plan_.index];
      kept.insert(kept.end(), own[plan_.index].begin(), own[plan_.index].end());
    }
    return y;
  }

  LivPlan plan_;
  std::shared_ptr<LivImpl> first_, second_;
  torch::Tensor lambda_;
};

}  // namespace

LivBuilder differential_builder(const LivBuilder& base) {
  LivBuilder b;
  b.make_featurizer = [base](const ModelConfig& config, const genome::OperatorSpec& spec,
                             const FeaturizerNeeds& needs) -> std::shared_ptr<torch::nn::Module> {
    return std::make_shared<FeaturizerPairImpl>(base.make_featurizer(config, spec, needs),
                                                base.make_featurizer(config, spec, needs));
  };
  b.make_liv = [base](const ModelConfig& config, const LivPlan& plan,
                      std::shared_ptr<torch::nn::Module> featurizer) -> std::shared_ptr<LivImpl> {
    const auto& pair = dynamic_cast<const FeaturizerPairImpl&>(*featurizer);
    return std::make_shared<DifferentialImpl>(config, plan, pair, base);
  };
  return b;
}

}  // namespace star::model
