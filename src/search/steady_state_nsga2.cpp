#include "search/steady_state_nsga2.hpp"

#include <queue>
#include <stdexcept>
#include <tuple>

#include "evolve/survival.hpp"
#include "evolve/tournament.hpp"

namespace star::search {
namespace {

// A candidate being evaluated: it finishes at `done`; `order` breaks ties (first handed out first).
struct InFlight {
  double done;
  long long order;
  std::vector<double> x;
  bool operator>(const InFlight& o) const { return std::tie(done, order) > std::tie(o.done, o.order); }
};

}  // namespace

RealRunResult run_steady_state_nsga2(const evolve::TestProblem& problem, const RealRunSettings& s,
                                     const SteadyStateSettings& steady, const std::vector<double>& ref) {
  if (steady.workers < 1) throw std::invalid_argument("steady-state NSGA-II: workers must be at least 1");
  if (!(steady.duration_sigma >= 0)) throw std::invalid_argument("steady-state NSGA-II: duration sigma must be >= 0");
  if (s.population < 2) throw std::invalid_argument("steady-state NSGA-II: population must be at least 2");
  genome::Rng rng(s.seed);                                   // breeding, as run_nsga2's
  genome::Rng clock(s.seed ^ 0x5851f42d4c957f2dULL);        // durations: their own stream
  std::lognormal_distribution<double> duration(0.0, steady.duration_sigma);
  const int n = s.population;
  auto x = random_solutions(problem, n, rng);
  evolve::ObjectiveMatrix f;
  for (const auto& xi : x) f.push_back(problem.evaluate(xi));
  auto ranking = evolve::rank_population(f, evolve::Violations(f.size(), 0.0));

  const long long budget = static_cast<long long>(n) * s.generations;
  long long handed_out = 0, finished = 0;
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<InFlight>> running;
  // A worker free at time `now` gets one child of two tournament winners of the population as it stands.
  auto hand_out = [&](double now) {
    const auto& a = x[evolve::tournament(ranking, 2, rng)];
    const auto& b = x[evolve::tournament(ranking, 2, rng)];
    auto child = evolve::sbx_crossover(a, b, problem.lower, problem.upper, s.variation, rng).first;
    evolve::polynomial_mutation(child, problem.lower, problem.upper, s.variation, rng);
    running.push({now + duration(clock), handed_out++, std::move(child)});
  };
  for (int w = 0; w < steady.workers && handed_out < budget; ++w) hand_out(0.0);

  RealRunResult result;
  while (!running.empty()) {
    InFlight next = running.top();
    running.pop();
    // Survival over the population and the newcomer: the worst by rank and crowding leaves
    // (possibly the newcomer itself).
    auto pool_f = f;
    pool_f.push_back(problem.evaluate(next.x));
    const auto keep = evolve::nsga2_survival(pool_f, evolve::Violations(pool_f.size(), 0.0), n);
    std::vector<std::vector<double>> kept_x;
    evolve::ObjectiveMatrix kept_f;
    for (int i : keep) {
      kept_x.push_back(i < n ? std::move(x[i]) : std::move(next.x));
      kept_f.push_back(std::move(pool_f[i]));
    }
    x = std::move(kept_x);
    f = std::move(kept_f);
    ranking = evolve::rank_population(f, evolve::Violations(f.size(), 0.0));
    if (++finished % n == 0) result.hypervolume.push_back(first_front_hypervolume(f, ref));
    if (handed_out < budget) hand_out(next.done);
  }
  first_front_hypervolume(f, ref, &result.first_front);
  result.variables = std::move(x);
  result.objectives = std::move(f);
  return result;
}

}  // namespace star::search
