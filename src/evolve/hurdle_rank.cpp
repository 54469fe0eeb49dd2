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

ObjectiveMatrix deciding_front(const ObjectiveMatrix& reached, double percentile) {
  const auto fronts = nondominated_sort(reached, Violations(reached.size(), 0.0));
  const double cut = percentile / 100.0 * static_cast<double>(reached.size());
  double before = 0;  // rows in the fronts before front f
  for (size_t f = 0; f < fronts.size(); ++f) {
    before += static_cast<double>(fronts[f].size());
    if (before > cut) {  // f + 1 is the first front with more than the cut before it: f decides
      ObjectiveMatrix out;
      for (int i : fronts[f]) out.push_back(reached[static_cast<size_t>(i)]);
      return out;
    }
  }
  return {};
}

bool dominated_by_any(const ObjectiveMatrix& rows, const std::vector<double>& point) {
  return std::any_of(rows.begin(), rows.end(), [&](const std::vector<double>& row) { return dominates(row, point); });
}

}  // namespace star::evolve
