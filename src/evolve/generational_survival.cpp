#include "evolve/generational_survival.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "evolve/scalar_ranking.hpp"

namespace star::evolve {

std::vector<int> generational_survival(const std::vector<double>& fitness, const Violations& violation, int parents,
                                       int elite_count) {
  if (parents < 0 || elite_count < 0 || parents > static_cast<int>(fitness.size()))
    throw std::invalid_argument("generational_survival: " + std::to_string(parents) + " parents and " +
                                std::to_string(elite_count) + " elites in a pool of " + std::to_string(fitness.size()));
  int elites = 0;
  std::vector<int> survivors;
  for (int i : scalar_order(fitness, violation)) {
    const bool parent = i < parents;
    if (parent && elites >= elite_count) continue;
    elites += parent;
    survivors.push_back(i);
  }
  return survivors;
}

}  // namespace star::evolve
