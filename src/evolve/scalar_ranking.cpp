#include "evolve/scalar_ranking.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace star::evolve {

std::vector<double> weighted_sum(const ObjectiveMatrix& f, const std::vector<double>& weights) {
  std::vector<double> fitness;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i].size() != weights.size())
      throw std::invalid_argument("weighted_sum: individual " + std::to_string(i) + " has " +
                                  std::to_string(f[i].size()) + " objectives but there are " +
                                  std::to_string(weights.size()) + " weights");
    double sum = 0;
    for (size_t m = 0; m < weights.size(); ++m)
      if (weights[m] != 0) sum += weights[m] * f[i][m];  // a zero weight ignores even an infinite objective
    fitness.push_back(sum);
  }
  return fitness;
}

std::vector<int> scalar_order(const std::vector<double>& fitness, const Violations& violation) {
  if (fitness.size() != violation.size())
    throw std::invalid_argument("scalar_order: " + std::to_string(fitness.size()) + " fitness values but " +
                                std::to_string(violation.size()) + " violations");
  std::vector<int> order(fitness.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (violation[a] != violation[b]) return violation[a] < violation[b];
    if (fitness[a] != fitness[b]) return fitness[a] < fitness[b];
    return a < b;
  });
  return order;
}

Ranking scalar_ranking(const std::vector<double>& fitness, const Violations& violation) {
  Ranking r;
  r.front_rank.assign(fitness.size(), 0);
  r.crowding.assign(fitness.size(), 0.0);
  const auto order = scalar_order(fitness, violation);
  int level = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const int i = order[k];
    if (k > 0 && (violation[i] != violation[order[k - 1]] || fitness[i] != fitness[order[k - 1]])) ++level;
    r.front_rank[i] = level;
  }
  return r;
}

}  // namespace star::evolve
