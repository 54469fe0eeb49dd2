#include "evolve/hurdle_rank.hpp"

#include <algorithm>

#include "evolve/nondominated_sort.hpp"

namespace star::evolve {

bool behind_hurdle(const ObjectiveMatrix& reached, const std::vector<double>& point, double percentile) {
  if (reached.empty()) return false;
  const auto fronts = nondominated_sort(reached, Violations(reached.size(), 0.0));
  std::vector<size_t> front_of(reached.size());
  for (size_t f = 0; f < fronts.size(); ++f)
    for (int i : fronts[f]) front_of[static_cast<size_t>(i)] = f;
  size_t front = 0;  // this genome's
  for (size_t i = 0; i < reached.size(); ++i)
    if (dominates(reached[i], point)) front = std::max(front, front_of[i] + 1);
  const auto ahead = static_cast<double>(
      std::count_if(front_of.begin(), front_of.end(), [&](size_t f) { return f < front; }));
  return ahead > percentile / 100.0 * static_cast<double>(reached.size());
}

}  // namespace star::evolve
