#include "app/moo_command.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "search/real_nsga2.hpp"
#include "search/steady_state_nsga2.hpp"

namespace star::app {

int run_moo(const MooOptions& o) {
  try {
    const auto problem = evolve::test_problem(o.problem);
    search::RealRunSettings settings;
    settings.population = o.population;
    settings.generations = o.generations;
    settings.seed = o.seed;
    const std::vector<double> ref(problem.objectives, 1.1);
    const bool steady = o.mode == "steady_state";
    search::SteadyStateSettings async;
    async.workers = o.workers;
    const auto run = steady ? search::run_steady_state_nsga2(problem, settings, async, ref)
                            : search::run_nsga2(problem, settings, ref);
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

void add_moo_command(CLI::App& star, Subcommands& out) {
  auto o = std::make_shared<MooOptions>();
  auto* cmd = star.add_subcommand("moo", "NSGA-II on a test problem with a known front; prints the front as CSV");
  cmd->add_option("--problem", o->problem, "zdt1, zdt2, zdt3 or dtlz2")
      ->check(CLI::IsMember({"zdt1", "zdt2", "zdt3", "dtlz2"}));
  cmd->add_option("--pop", o->population, "Population size")->check(CLI::Range(4, 1 << 20));
  cmd->add_option("--gens", o->generations, "Generations")->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--seed", o->seed, "Random seed");
  cmd->add_option("--mode", o->mode, "generational, or steady_state (asynchronous: no generation barrier)")
      ->check(CLI::IsMember({"generational", "steady_state"}));
  cmd->add_option("--workers", o->workers, "steady_state: evaluations in flight")->check(CLI::Range(1, 1 << 20));
  out.push_back({cmd, [o](int*, char***) { return run_moo(*o); }});
}

}  // namespace star::app
