#include "evolve/real_nsga2.hpp"

#include "evolve/hypervolume.hpp"
#include "evolve/nondominated_sort.hpp"
#include "evolve/survival.hpp"
#include "evolve/tournament.hpp"

namespace star::evolve {

double first_front_hypervolume(const ObjectiveMatrix& f, const std::vector<double>& ref, std::vector<int>* front_out) {
  const auto fronts = nondominated_sort(f, Violations(f.size(), 0.0));
  ObjectiveMatrix front;
  for (int i : fronts.at(0)) front.push_back(f[i]);
  if (front_out) *front_out = fronts[0];
  return hypervolume(front, ref);
}

std::vector<std::vector<double>> random_solutions(const TestProblem& problem, int n, genome::Rng& rng) {
  std::vector<std::vector<double>> x(n, std::vector<double>(problem.variables));
  for (auto& xi : x)
    for (int v = 0; v < problem.variables; ++v)
      xi[v] = problem.lower[v] + genome::uniform_real(rng) * (problem.upper[v] - problem.lower[v]);
  return x;
}

RealRunResult run_nsga2(const TestProblem& problem, const RealRunSettings& s, const std::vector<double>& ref) {
  genome::Rng rng(s.seed);
  const int n = s.population;
  auto x = random_solutions(problem, n, rng);
  ObjectiveMatrix f;
  for (const auto& xi : x) f.push_back(problem.evaluate(xi));

  RealRunResult result;
  for (int gen = 0; gen < s.generations; ++gen) {
    const auto ranking = rank_population(f, Violations(f.size(), 0.0));
    auto pool_x = x;
    auto pool_f = f;
    while (static_cast<int>(pool_x.size()) < 2 * n) {
      const auto& a = x[tournament(ranking, 2, rng)];
      const auto& b = x[tournament(ranking, 2, rng)];
      auto [c1, c2] = sbx_crossover(a, b, problem.lower, problem.upper, s.variation, rng);
      for (auto* c : {&c1, &c2}) {
        if (static_cast<int>(pool_x.size()) >= 2 * n) break;
        polynomial_mutation(*c, problem.lower, problem.upper, s.variation, rng);
        pool_f.push_back(problem.evaluate(*c));
        pool_x.push_back(std::move(*c));
      }
    }
    const auto keep = nsga2_survival(pool_f, Violations(pool_f.size(), 0.0), n);
    x.clear();
    f.clear();
    for (int i : keep) {
      x.push_back(pool_x[i]);
      f.push_back(pool_f[i]);
    }
    result.hypervolume.push_back(first_front_hypervolume(f, ref));
  }
  first_front_hypervolume(f, ref, &result.first_front);
  result.variables = std::move(x);
  result.objectives = std::move(f);
  return result;
}

}  // namespace star::evolve
