#pragma once
// Objective vectors as the selection code sees them: one row per individual, every objective
// minimised; and how far each individual is from feasible.
#include <vector>

namespace star::evolve {

using ObjectiveMatrix = std::vector<std::vector<double>>;  // [individual][objective]

// Per individual, how much it violates the run's constraints: 0 = feasible, larger = worse,
// +infinity for a failed training (nothing to measure). Never negative or NaN.
using Violations = std::vector<double>;

// a is no worse than b in every objective and strictly better in at least one.
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

// Constrained domination (Deb 2000): the smaller violation wins; at equal violation (both
// feasible, or equally infeasible) Pareto domination decides.
bool constrained_dominates(const ObjectiveMatrix& f, const Violations& violation, int a, int b);

// 0 for feasible, 1 for infeasible: the violations of a plain yes/no feasibility.
Violations violations_of(const std::vector<bool>& feasible);

}  // namespace star::evolve
