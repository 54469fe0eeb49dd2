#pragma once
// One number per individual for the GA and the firefly algorithm: a weighted sum of the
// objectives (the first objective alone when only its weight is nonzero), and a Ranking built
// from it so the same tournaments and offspring code serve them as serve NSGA-II.
#include <vector>

#include "evolve/objectives.hpp"
#include "evolve/survival.hpp"

namespace star::evolve {

// sum_m weights[m] * f[i][m], minimised. Objectives keep their own units (a loss in nats, a
// parameter count, bytes): the weights carry the exchange rate. Throws std::invalid_argument
// when a row and the weights differ in length.
std::vector<double> weighted_sum(const ObjectiveMatrix& f, const std::vector<double>& weights);

// Indices best first: smaller violation, then smaller fitness, then lower index.
std::vector<int> scalar_order(const std::vector<double>& fitness, const Violations& violation);

// front_rank = the individual's place among the distinct (violation, fitness) values, 0 best,
// so equals tie; crowding 0 throughout. crowded_less then compares fitness under constraints.
Ranking scalar_ranking(const std::vector<double>& fitness, const Violations& violation);

}  // namespace star::evolve
