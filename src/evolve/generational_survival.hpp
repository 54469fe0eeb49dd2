#pragma once
// The GA's and the firefly algorithm's replacement: a generation's new individuals replace the
// parents, except the `elite_count` best parents, which are carried over unchanged (elitism).
// Unlike NSGA-II's (mu + lambda) survival, a new individual worse than every parent still
// enters: the search keeps moving instead of only keeping what it has.
#include <vector>

#include "evolve/objectives.hpp"

namespace star::evolve {

// The pool is `parents` parents followed by the new individuals (fitness and violation for all
// of them). Returns the survivors as pool indices, best first (by scalar_order): the
// min(elite_count, parents) best parents and every new individual. Throws
// std::invalid_argument for a negative count or parents beyond the pool.
std::vector<int> generational_survival(const std::vector<double>& fitness, const Violations& violation, int parents,
                                       int elite_count);

}  // namespace star::evolve
