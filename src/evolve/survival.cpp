#include "evolve/survival.hpp"

#include <algorithm>

#include "evolve/crowding_distance.hpp"
#include "evolve/nondominated_sort.hpp"

namespace star::evolve {

Ranking rank_population(const ObjectiveMatrix& f, const Violations& violation) {
  Ranking r;
  r.front_rank.assign(f.size(), -1);
  r.crowding.assign(f.size(), 0.0);
  const auto fronts = nondominated_sort(f, violation);
  for (size_t k = 0; k < fronts.size(); ++k) {
    const auto distance = crowding_distance(f, fronts[k]);
    for (size_t i = 0; i < fronts[k].size(); ++i) {
      r.front_rank[fronts[k][i]] = static_cast<int>(k);
      r.crowding[fronts[k][i]] = distance[i];
    }
  }
  return r;
}

bool crowded_less(const Ranking& r, int a, int b) {
  if (r.front_rank[a] != r.front_rank[b]) return r.front_rank[a] < r.front_rank[b];
  return r.crowding[a] > r.crowding[b];
}

std::vector<int> nsga2_survival(const ObjectiveMatrix& f, const Violations& violation, int n) {
  const auto r = rank_population(f, violation);
  std::vector<int> order(f.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  // Sorting all by (front, -crowding, index) keeps whole better fronts before any of a worse
  // one, and the last front that fits partly is cut by crowding: exactly NSGA-II's survival.
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return crowded_less(r, a, b); });
  order.resize(std::min<size_t>(order.size(), static_cast<size_t>(std::max(0, n))));
  return order;
}

}  // namespace star::evolve
