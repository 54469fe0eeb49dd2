#include "app/moo_command.hpp"

#include <cstdio>

#include "evolve/real_nsga2.hpp"

namespace star::app {

int run_moo(const MooOptions& o) {
  try {
    const auto problem = evolve::test_problem(o.problem);
    evolve::RealRunSettings settings;
    settings.population = o.population;
    settings.generations = o.generations;
    settings.seed = o.seed;
    const std::vector<double> ref(problem.objectives, 1.1);
    const auto run = evolve::run_nsga2(problem, settings, ref);
    for (int m = 0; m < problem.objectives; ++m) std::printf("%sf%d", m ? "," : "", m + 1);
    std::printf("\n");
    for (int i : run.first_front) {
      for (int m = 0; m < problem.objectives; ++m) std::printf("%s%.6g", m ? "," : "", run.objectives[i][m]);
      std::printf("\n");
    }
    const double hv = run.hypervolume.empty() ? 0.0 : run.hypervolume.back();
    std::fprintf(stderr, "%s: population %d, %d generations, seed %llu: hypervolume %.6f (reference 1.1)", o.problem.c_str(),
                 o.population, o.generations, static_cast<unsigned long long>(o.seed), hv);
    if (problem.analytic_hypervolume > 0)
      std::fprintf(stderr, " = %.2f%% of the analytic front's %.6f", 100 * hv / problem.analytic_hypervolume,
                   problem.analytic_hypervolume);
    std::fprintf(stderr, "\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "star moo: %s\n", e.what());
    return 2;
  }
}

}  // namespace star::app
