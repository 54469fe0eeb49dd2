#pragma once
// NSGA-II (Deb et al. 2002) behind the ask/tell interface: the one loop for genomes and real
// vectors. ask: `size` children of the population, parents chosen by tournaments on its
// ranking (front, then crowding); tell: (mu + lambda) elitist survival of the population and
// the children together.
#include <stdexcept>

#include "search/algorithm.hpp"

namespace star::search {

template <class Solution>
class Nsga2 : public Algorithm<Solution> {
 public:
  Nsga2(int size, Operators<Solution> operators) : size_(size), operators_(std::move(operators)) {
    if (size < 1) throw std::invalid_argument("NSGA-II: the population needs at least one member");
  }

  std::vector<Solution> ask(genome::Rng& rng) override {
    if (this->population_.empty()) return operators_.initial(size_, rng);
    const auto& population = this->population_;
    const auto ranking = evolve::rank_population(objective_matrix(population), violations_of(population));
    return operators_.offspring(this->solutions(), ranking, size_, rng);
  }

  std::vector<int> tell(const std::vector<Member<Solution>>& evaluated) override {
    const auto pool = this->pool_with(evaluated);
    const auto survivors = evolve::nsga2_survival(objective_matrix(pool), violations_of(pool), size_);
    this->keep(pool, survivors);
    return survivors;
  }

 private:
  int size_;
  Operators<Solution> operators_;
};

}  // namespace star::search
