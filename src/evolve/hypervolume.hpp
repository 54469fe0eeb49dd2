#pragma once
// Exact hypervolume of a set of minimised objective vectors against a reference point: the
// volume they dominate inside the box below the reference. 1, 2 and 3 objectives.
#include <vector>

#include "evolve/objectives.hpp"

namespace star::evolve {

// Points not below the reference in every objective contribute nothing. Throws
// std::invalid_argument for more than 3 objectives.
double hypervolume(const ObjectiveMatrix& points, const std::vector<double>& reference);

}  // namespace star::evolve
