#pragma once
// NSGA-II's ranking and elitist survival: whole fronts while they fit, then the last front by
// descending crowding distance.
#include <vector>

#include "evolve/objectives.hpp"

namespace star::evolve {

struct Ranking {
  std::vector<int> front_rank;   // per individual, 0 = first (non-dominated) front
  std::vector<double> crowding;  // per individual, within its front
};

Ranking rank_population(const ObjectiveMatrix& f, const Violations& violation);

// a is better than b: a lower front, or the same front and more room (larger crowding distance).
bool crowded_less(const Ranking& r, int a, int b);

// Indices of the n survivors, best first (by crowded_less; ties by lower index).
std::vector<int> nsga2_survival(const ObjectiveMatrix& f, const Violations& violation, int n);

}  // namespace star::evolve
