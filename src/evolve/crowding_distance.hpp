#pragma once
// Crowding distance (Deb et al. 2002): how much room an individual has on its front, the sum
// over objectives of the normalised gap between its neighbours. Boundary individuals get
// infinity so the front's extremes are always kept.
#include <vector>

#include "evolve/objectives.hpp"

namespace star::evolve {

// One value per member of `front`, in the same order; fronts of 1 or 2 members are all infinity.
// Each objective's gaps are divided by its range (max - min) over the front; an objective with
// no range contributes 0 (and no infinite boundaries).
std::vector<double> crowding_distance(const ObjectiveMatrix& f, const std::vector<int>& front);

}  // namespace star::evolve
