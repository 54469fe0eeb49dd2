#include "evolve/nondominated_sort.hpp"

#include <stdexcept>
#include <string>

namespace star::evolve {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool strictly = false;
  for (size_t m = 0; m < a.size(); ++m) {
    if (a[m] > b[m]) return false;
    if (a[m] < b[m]) strictly = true;
  }
  return strictly;
}

std::vector<std::vector<int>> nondominated_sort(const ObjectiveMatrix& f, const std::vector<bool>& feasible) {
  const int n = static_cast<int>(f.size());
  if (feasible.size() != f.size())
    throw std::invalid_argument("nondominated_sort: " + std::to_string(f.size()) + " objective rows but " +
                                std::to_string(feasible.size()) + " feasibility flags");
  for (int i = 1; i < n; ++i)
    if (f[i].size() != f[0].size())
      throw std::invalid_argument("nondominated_sort: individual " + std::to_string(i) + " has " +
                                  std::to_string(f[i].size()) + " objectives, individual 0 has " +
                                  std::to_string(f[0].size()));
  auto constrained_dominates = [&](int a, int b) {
    if (feasible[a] != feasible[b]) return static_cast<bool>(feasible[a]);
    return dominates(f[a], f[b]);
  };
  std::vector<std::vector<int>> dominated(n);  // whom i dominates
  std::vector<int> dominators(n, 0);           // how many dominate i
  std::vector<std::vector<int>> fronts(1);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (constrained_dominates(i, j)) {
        dominated[i].push_back(j);
        ++dominators[j];
      } else if (constrained_dominates(j, i)) {
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
    fronts.push_back(std::move(next));
  }
  fronts.pop_back();
  return fronts;
}

}  // namespace star::evolve
