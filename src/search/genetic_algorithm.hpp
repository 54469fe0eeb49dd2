#pragma once
// The GA behind the ask/tell interface: one number per member (the weighted sum of the
// objectives, under the constraints), tournaments on it, and generational replacement: the
// children replace every parent but the `elite_count` best (evolve/generational_survival.hpp).
#include <algorithm>
#include <stdexcept>

#include "evolve/generational_survival.hpp"
#include "evolve/scalar_ranking.hpp"
#include "search/algorithm.hpp"

namespace star::search {

// The fitness ranking the GA and the firefly algorithm breed from.
template <class Solution>
evolve::Ranking weighted_ranking(const std::vector<Member<Solution>>& members, const std::vector<double>& weights) {
  return evolve::scalar_ranking(evolve::weighted_sum(objective_matrix(members), weights), violations_of(members));
}

// Generational replacement with elitism, shared by the GA and the firefly algorithm.
template <class Solution>
class GenerationalAlgorithm : public Algorithm<Solution> {
 public:
  std::vector<int> tell(const std::vector<Member<Solution>>& evaluated) override {
    const auto pool = this->pool_with(evaluated);
    const int parents = static_cast<int>(this->population_.size());
    const auto survivors = evolve::generational_survival(evolve::weighted_sum(objective_matrix(pool), weights_),
                                                         violations_of(pool), parents, elite_count_);
    this->keep(pool, survivors);
    return survivors;
  }

 protected:
  GenerationalAlgorithm(int size, int elite_count, std::vector<double> weights)
      : size_(size), elite_count_(elite_count), weights_(std::move(weights)) {
    if (size < 1) throw std::invalid_argument("the population needs at least one member");
    if (elite_count < 0) throw std::invalid_argument("the elite count must not be negative");
  }
  evolve::Ranking ranking() const { return weighted_ranking(this->population_, weights_); }
  // The parents the elites leave room for: the rest of the population is new each generation.
  int children() const { return size_ - std::min<int>(elite_count_, static_cast<int>(this->population_.size())); }

  int size_;
  int elite_count_;
  std::vector<double> weights_;
};

template <class Solution>
class GeneticAlgorithm : public GenerationalAlgorithm<Solution> {
 public:
  GeneticAlgorithm(int size, int elite_count, std::vector<double> weights, Operators<Solution> operators)
      : GenerationalAlgorithm<Solution>(size, elite_count, std::move(weights)), operators_(std::move(operators)) {}

  std::vector<Solution> ask(genome::Rng& rng) override {
    if (this->population_.empty()) return operators_.initial(this->size_, rng);
    return operators_.offspring(this->solutions(), this->ranking(), this->children(), rng);
  }

 private:
  Operators<Solution> operators_;
};

}  // namespace star::search
