#pragma once
// Non-dominated sorting under constrained domination: every feasible individual dominates every
// infeasible one, a smaller violation dominates a larger one, and individuals of equal violation
// are compared by their objectives. Equal points share a front.
#include <vector>

#include "evolve/objectives.hpp"

namespace star::evolve {

// Fronts of indices, best first, each front's indices ascending. Up to 3 objectives it sorts in
// O(N log^2 N) at worst (sweep_fronts.hpp); more objectives take Deb's O(M N^2). Throws
// std::invalid_argument for rows of different lengths, a violation per row missing, NaN
// objectives, or a negative or NaN violation.
std::vector<std::vector<int>> nondominated_sort(const ObjectiveMatrix& f, const Violations& violation);

// Deb et al.'s fast non-dominated sort (2002), O(M N^2) time and memory, the same fronts: the
// reference the sweep is tested against. Same checks and output order.
std::vector<std::vector<int>> nondominated_sort_quadratic(const ObjectiveMatrix& f, const Violations& violation);

}  // namespace star::evolve
