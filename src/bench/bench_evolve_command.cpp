// Time of one generation's selection and variation on rank 0, with no training: a population
// of N genomes of 48 LIVs and N children with 3 random objectives, as NSGA-II (survival of the
// 2N down to N, then N offspring), the GA (weighted-sum ranking, N offspring) and the firefly
// algorithm (N moves, O(N^2): skipped above firefly_max). Deb's quadratic sort is timed beside
// the sweep up to quadratic_max.
#include "bench/bench_evolve_command.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/cli_checks.hpp"
#include "evolve/firefly.hpp"
#include "evolve/nondominated_sort.hpp"
#include "evolve/offspring.hpp"
#include "evolve/scalar_ranking.hpp"
#include "evolve/survival.hpp"
#include "genome/sampling.hpp"

namespace star::bench {
namespace {

double seconds(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void print_time(bool measured, double s) {
  if (measured) std::printf(" %10.4f", s);
  else std::printf(" %10s", "-");
}

}  // namespace

int run_bench_evolve(const BenchEvolveOptions& o) {
  const std::vector<int>& sizes = o.sizes;
  const int quadratic_max = o.quadratic_max, firefly_max = o.firefly_max;
  const genome::GenomeSpace space{48, {1, 2, 3}, 4};
  std::printf("seconds for one generation, genomes of %d LIVs, 3 objectives (pool of 2N for the sorts)\n", space.depth);
  std::printf("%8s %10s %10s %10s %10s %10s %10s %10s %8s\n", "N", "sweep", "quadratic", "survival", "offspring",
              "nsga2", "ga", "firefly", "fronts");
  for (int n : sizes) {
    genome::Rng rng(1);
    std::vector<genome::Genome> pop;
    for (int i = 0; i < n; ++i) pop.push_back(genome::sample_genome(space, rng));
    // Objectives like a search's: a loss, a parameter count and cache bytes, with ties in the last two.
    evolve::ObjectiveMatrix pool;
    for (int i = 0; i < 2 * n; ++i)
      pool.push_back({genome::uniform_real(rng), double(genome::uniform_int(rng, 0, 2000)),
                      double(genome::uniform_int(rng, 0, 500))});
    const evolve::Violations feasible(pool.size(), 0.0);

    std::vector<std::vector<int>> fronts;
    const double sweep = seconds([&] { fronts = evolve::nondominated_sort(pool, feasible); });
    double quadratic = 0;
    if (n <= quadratic_max) quadratic = seconds([&] { evolve::nondominated_sort_quadratic(pool, feasible); });
    std::vector<int> keep;
    const double survival = seconds([&] { keep = evolve::nsga2_survival(pool, feasible, n); });
    evolve::ObjectiveMatrix kept;
    for (int i : keep) kept.push_back(pool[i]);
    evolve::Ranking ranking;
    std::vector<genome::Genome> kids;
    const double offspring = seconds([&] {
      ranking = evolve::rank_population(kept, evolve::Violations(n, 0.0));
      kids = evolve::make_offspring(pop, ranking, n, space, {}, rng);
    });
    const double ga = seconds([&] {
      const auto r = evolve::scalar_ranking(evolve::weighted_sum(kept, {1, 1e-4, 1e-4}), evolve::Violations(n, 0.0));
      kids = evolve::make_offspring(pop, r, n, space, {}, rng);
    });
    double firefly = 0;
    if (n <= firefly_max)
      firefly = seconds([&] {
        const auto r = evolve::scalar_ranking(evolve::weighted_sum(kept, {1, 1e-4, 1e-4}), evolve::Violations(n, 0.0));
        kids = evolve::move_fireflies(pop, r, 1, space, {}, rng);
      });
    std::printf("%8d", n);
    print_time(true, sweep);
    print_time(n <= quadratic_max, quadratic);
    print_time(true, survival);
    print_time(true, offspring);
    print_time(true, survival + offspring);
    print_time(true, ga);
    print_time(n <= firefly_max, firefly);
    std::printf(" %8zu\n", fronts.size());
    std::fflush(stdout);
  }
  return 0;
}

void add_bench_evolve_command(CLI::App& bench, app::Subcommands& out) {
  auto o = std::make_shared<BenchEvolveOptions>();
  auto* cmd = bench.add_subcommand(
      "evolve", "Time one generation's selection and variation (NSGA-II, GA, firefly) for large populations");
  cmd->add_option("--sizes", o->sizes, "Population sizes, e.g. 16,256,4096,65536")
      ->delimiter(',')
      ->check(CLI::Range(2, 1 << 24));
  cmd->add_option("--quadratic-max", o->quadratic_max, "Time Deb's quadratic sort up to this size")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--firefly-max", o->firefly_max, "Time the O(N^2) firefly move up to this size")
      ->check(CLI::NonNegativeNumber);
  out.push_back({cmd, [o](int*, char***) { return run_bench_evolve(*o); }});
}

}  // namespace star::bench
