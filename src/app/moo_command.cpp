#include "app/moo_command.hpp"

#include <cstdio>

#include "evolve/real_nsga2.hpp"
#include "evolve/steady_state_nsga2.hpp"

namespace star::app {

int run_moo(const MooOptions& o) {
  try {
    const auto problem = evolve::test_problem(o.problem);
    evolve::RealRunSettings settings;
    settings.population = o.population;
    settings.generations = o.generations;
    settings.seed = o.seed;
    const std::vector<double> ref(problem.objectives, 1.1);
    const bool steady = o.mode == "steady_state";
    evolve::SteadyStateSettings async;
    async.workers = o.workers;
    const auto run = steady ? evolve::run_steady_state_nsga2(problem, settings, async, ref)
                            : evolve::run_nsga2(problem, settings, ref);
    for (int m = 0; m < problem.objectives; ++m) std::printf("%sf%d", m ? "," : "", m + 1);
    std::printf("\n");
    for (int i : run.first_front) {
      for (int m = 0; m < problem.objectives; ++m) std::printf("%s%.6g", m ? "," : "", run.objectives[i][m]);
      std::printf("\n");
    }
    const double hv = run.hypervolume.empty() ? 0.0 : run.hypervolume.back();
    std::fprintf(stderr, "%s: %s, population %d, %d generations (%lld evaluations), seed %llu: hypervolume %.6f (reference 1.1)",
                 o.problem.c_str(), steady ? ("steady-state on " + std::to_string(o.workers) + " workers").c_str() : "generational",
                 o.population, o.generations, static_cast<long long>(o.population) * o.generations,
                 static_cast<unsigned long long>(o.seed), hv);
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
