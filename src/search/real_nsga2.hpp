#pragma once
// NSGA-II on real-valued test problems: the genome search's algorithm (nsga2.hpp), with SBX
// and polynomial mutation for variation. This is what `star moo` runs.
#include <cstdint>
#include <vector>

#include "evolve/objectives.hpp"
#include "evolve/real_variation.hpp"
#include "evolve/test_problems.hpp"

namespace star::search {

struct RealRunSettings {
  int population = 100;
  int generations = 200;
  uint64_t seed = 1;
  evolve::RealVariationSettings variation;
};

struct RealRunResult {
  std::vector<std::vector<double>> variables;  // final population
  evolve::ObjectiveMatrix objectives;          // final population
  std::vector<int> first_front;                // indices into the final population
  std::vector<double> hypervolume;             // of the first front, after each generation
};

RealRunResult run_nsga2(const evolve::TestProblem& problem, const RealRunSettings& settings,
                        const std::vector<double>& hypervolume_reference);

// n points drawn uniformly in the problem's box: the first population of either NSGA-II.
std::vector<std::vector<double>> random_solutions(const evolve::TestProblem& problem, int n, genome::Rng& rng);

// The hypervolume of the first front of f; its indices into f go to front_out when given.
double first_front_hypervolume(const evolve::ObjectiveMatrix& f, const std::vector<double>& reference,
                               std::vector<int>* front_out = nullptr);

}  // namespace star::search
