#pragma once
// Standard multi-objective test problems with known Pareto fronts (Zitzler, Deb & Thiele 2000;
// Deb et al. 2002), to prove the NSGA-II machinery without training anything.
#include <string>
#include <vector>

namespace star::evolve {

struct TestProblem {
  std::string name;
  int variables = 30;
  int objectives = 2;
  std::vector<double> lower, upper;  // box bounds per variable
  std::vector<double> (*evaluate)(const std::vector<double>& x) = nullptr;
  double analytic_hypervolume = 0;   // of the true front against the reference point 1.1 in every objective
};

// "zdt1", "zdt2", "zdt3" (30 variables in [0, 1], 2 objectives), "dtlz2" (12 variables, 3
// objectives). Throws std::invalid_argument for another name.
TestProblem test_problem(const std::string& name);

}  // namespace star::evolve
