#include "evolve/nondominated_sort.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include "evolve/sweep_fronts.hpp"

namespace star::evolve {
namespace {

void check_input(const ObjectiveMatrix& f, const Violations& violation) {
  if (violation.size() != f.size())
    throw std::invalid_argument("nondominated_sort: " + std::to_string(f.size()) + " objective rows but " +
                                std::to_string(violation.size()) + " violations");
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i].size() != f[0].size())
      throw std::invalid_argument("nondominated_sort: individual " + std::to_string(i) + " has " +
                                  std::to_string(f[i].size()) + " objectives, individual 0 has " +
                                  std::to_string(f[0].size()));
    for (double v : f[i])
      if (std::isnan(v)) throw std::invalid_argument("nondominated_sort: individual " + std::to_string(i) + " has a NaN objective");
    if (!(violation[i] >= 0))
      throw std::invalid_argument("nondominated_sort: individual " + std::to_string(i) + " has violation " +
                                  std::to_string(violation[i]) + " (must be 0 or more)");
  }
}

}  // namespace

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool strictly = false;
  for (size_t m = 0; m < a.size(); ++m) {
    if (a[m] > b[m]) return false;
    if (a[m] < b[m]) strictly = true;
  }
  return strictly;
}

bool constrained_dominates(const ObjectiveMatrix& f, const Violations& violation, int a, int b) {
  if (violation[a] != violation[b]) return violation[a] < violation[b];
  return dominates(f[a], f[b]);
}

Violations violations_of(const std::vector<bool>& feasible) {
  Violations v;
  for (bool ok : feasible) v.push_back(ok ? 0.0 : 1.0);
  return v;
}

std::vector<std::vector<int>> nondominated_sort(const ObjectiveMatrix& f, const Violations& violation) {
  check_input(f, violation);
  if (!f.empty() && f[0].size() > 3) return nondominated_sort_quadratic(f, violation);
  // Every member of a smaller violation dominates every member of a larger one, so the fronts
  // are those of each violation level on its own, levels in order.
  std::map<double, std::vector<int>> levels;
  for (size_t i = 0; i < f.size(); ++i) levels[violation[i]].push_back(static_cast<int>(i));
  std::vector<std::vector<int>> fronts;
  for (const auto& [level, members] : levels)
    for (auto& front : sweep_fronts(f, members)) {
      std::sort(front.begin(), front.end());
      fronts.push_back(std::move(front));
    }
  return fronts;
}

std::vector<std::vector<int>> nondominated_sort_quadratic(const ObjectiveMatrix& f, const Violations& violation) {
  check_input(f, violation);
  const int n = static_cast<int>(f.size());
  std::vector<std::vector<int>> dominated(n);  // whom i dominates
  std::vector<int> dominators(n, 0);           // how many dominate i
  std::vector<std::vector<int>> fronts(1);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (constrained_dominates(f, violation, i, j)) {
        dominated[i].push_back(j);
        ++dominators[j];
      } else if (constrained_dominates(f, violation, j, i)) {
        dominated[j].push_back(i);
        ++dominators[i];
      }
    }
  }
  for (int i = 0; i < n; ++i)
    if (dominators[i] == 0) fronts[0].push_back(i);
  while (!fronts.back().empty()) {
    std::vector<int> next;
    for (int i : fronts.back())
      for (int j : dominated[i])
        if (--dominators[j] == 0) next.push_back(j);
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(next));
  }
  fronts.pop_back();
  return fronts;
}

}  // namespace star::evolve
