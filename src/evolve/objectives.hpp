#pragma once
// Objective vectors as NSGA-II sees them: one row per individual, every objective minimised.
#include <vector>

namespace star::evolve {

using ObjectiveMatrix = std::vector<std::vector<double>>;  // [individual][objective]

// a is no worse than b in every objective and strictly better in at least one.
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace star::evolve
