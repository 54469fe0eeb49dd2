#pragma once
// Variation for real-valued variables, as NSGA-II uses on the test problems (Deb & Agrawal 1995):
// simulated binary crossover (SBX) and polynomial mutation, both within box bounds.
#include <utility>
#include <vector>

#include "genome/random.hpp"

namespace star::evolve {

struct RealVariationSettings {
  double crossover_probability = 0.9;
  double crossover_eta = 15;       // SBX distribution index: larger keeps children near the parents
  double mutation_probability = -1;  // per variable; < 0 means 1 / number of variables
  double mutation_eta = 20;
};

std::pair<std::vector<double>, std::vector<double>> sbx_crossover(const std::vector<double>& a,
                                                                  const std::vector<double>& b,
                                                                  const std::vector<double>& lower,
                                                                  const std::vector<double>& upper,
                                                                  const RealVariationSettings& s, genome::Rng& rng);

void polynomial_mutation(std::vector<double>& x, const std::vector<double>& lower, const std::vector<double>& upper,
                         const RealVariationSettings& s, genome::Rng& rng);

}  // namespace star::evolve
