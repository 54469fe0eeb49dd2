#pragma once
// Non-dominated fronts of points with 1 to 3 objectives in O(N log N log F) for F fronts (at
// worst O(N log^2 N)): a sweep in lexicographic order that puts each point in the first front none of whose members
// dominates it, found by binary search over the fronts. Each front keeps a staircase of its
// members' last two objectives, which answers "does a member dominate this point" in O(log N).
#include <vector>

#include "evolve/objectives.hpp"

namespace star::evolve {

// Fronts of the rows `members` of f (plain Pareto domination, no constraints), best first, in
// no particular order inside a front. Throws std::invalid_argument for more than 3 objectives.
std::vector<std::vector<int>> sweep_fronts(const ObjectiveMatrix& f, const std::vector<int>& members);

}  // namespace star::evolve
