#pragma once
// Fast non-dominated sorting (Deb et al. 2002), O(M N^2), with constrained domination: every
// feasible individual dominates every infeasible one (a failed or diverged training), and
// infeasible ones are compared among themselves by their objectives.
#include <vector>

#include "evolve/objectives.hpp"

namespace star::evolve {

// Fronts of indices, best first.
std::vector<std::vector<int>> nondominated_sort(const ObjectiveMatrix& f, const std::vector<bool>& feasible);

}  // namespace star::evolve
