#include "search/real_nsga2.hpp"

#include "evolve/hypervolume.hpp"
#include "evolve/nondominated_sort.hpp"
#include "evolve/tournament.hpp"
#include "search/nsga2.hpp"

namespace star::search {
namespace {

using Point = std::vector<double>;

// NSGA-II's operators on the problem's box: the first population drawn uniformly; children in
// pairs of two tournament winners by SBX, each then mutated (of an odd count's last pair, the
// second child is dropped before its mutation draws).
Operators<Point> real_operators(const evolve::TestProblem& problem, const evolve::RealVariationSettings& variation) {
  Operators<Point> ops;
  ops.initial = [&problem](int count, genome::Rng& rng) { return random_solutions(problem, count, rng); };
  ops.offspring = [&problem, variation](const std::vector<Point>& parents, const evolve::Ranking& ranking, int count,
                                        genome::Rng& rng) {
    std::vector<Point> children;
    while (static_cast<int>(children.size()) < count) {
      const auto& a = parents[static_cast<size_t>(evolve::tournament(ranking, 2, rng))];
      const auto& b = parents[static_cast<size_t>(evolve::tournament(ranking, 2, rng))];
      auto [c1, c2] = evolve::sbx_crossover(a, b, problem.lower, problem.upper, variation, rng);
      for (auto* c : {&c1, &c2}) {
        if (static_cast<int>(children.size()) >= count) break;
        evolve::polynomial_mutation(*c, problem.lower, problem.upper, variation, rng);
        children.push_back(std::move(*c));
      }
    }
    return children;
  };
  return ops;
}

std::vector<Member<Point>> evaluate(const evolve::TestProblem& problem, std::vector<Point> points) {
  std::vector<Member<Point>> out;
  for (auto& x : points) {
    auto f = problem.evaluate(x);
    out.push_back({std::move(x), std::move(f), 0.0});
  }
  return out;
}

}  // namespace

double first_front_hypervolume(const evolve::ObjectiveMatrix& f, const std::vector<double>& ref,
                               std::vector<int>* front_out) {
  const auto fronts = evolve::nondominated_sort(f, evolve::Violations(f.size(), 0.0));
  evolve::ObjectiveMatrix front;
  for (int i : fronts.at(0)) front.push_back(f[static_cast<size_t>(i)]);
  if (front_out) *front_out = fronts[0];
  return evolve::hypervolume(front, ref);
}

std::vector<Point> random_solutions(const evolve::TestProblem& problem, int n, genome::Rng& rng) {
  std::vector<Point> x(static_cast<size_t>(n), Point(static_cast<size_t>(problem.variables)));
  for (auto& xi : x)
    for (int v = 0; v < problem.variables; ++v)
      xi[v] = problem.lower[v] + genome::uniform_real(rng) * (problem.upper[v] - problem.lower[v]);
  return x;
}

RealRunResult run_nsga2(const evolve::TestProblem& problem, const RealRunSettings& s, const std::vector<double>& ref) {
  genome::Rng rng(s.seed);
  Nsga2<Point> nsga2(s.population, real_operators(problem, s.variation));
  nsga2.restore(evaluate(problem, nsga2.ask(rng)));  // the first population, in the order drawn

  RealRunResult result;
  for (int gen = 0; gen < s.generations; ++gen) {
    nsga2.tell(evaluate(problem, nsga2.ask(rng)));
    result.hypervolume.push_back(first_front_hypervolume(objective_matrix(nsga2.population()), ref));
  }
  for (const auto& m : nsga2.population()) {
    result.variables.push_back(m.solution);
    result.objectives.push_back(m.objectives);
  }
  first_front_hypervolume(result.objectives, ref, &result.first_front);
  return result;
}

}  // namespace star::search
