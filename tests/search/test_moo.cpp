// NSGA-II proven on problems with known fronts: population 100, 200 generations, reference 1.1;
// asynchronous steady-state NSGA-II as good as generational for the same number of evaluations.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <ostream>

#include "evolve/hypervolume.hpp"
#include "search/real_nsga2.hpp"
#include "search/steady_state_nsga2.hpp"

namespace {

using namespace star::evolve;
using namespace star::search;

TEST(Hypervolume, KnownValues) {
  EXPECT_DOUBLE_EQ(hypervolume({{0.5, 0.5}}, {1, 1}), 0.25);
  EXPECT_DOUBLE_EQ(hypervolume({{0, 0.5}, {0.5, 0}}, {1, 1}), 0.75);
  EXPECT_DOUBLE_EQ(hypervolume({{0, 0.5}, {0.5, 0}, {0.6, 0.6}}, {1, 1}), 0.75);  // dominated point adds nothing
  EXPECT_DOUBLE_EQ(hypervolume({{0.5, 0.5, 0.5}}, {1, 1, 1}), 0.125);
  EXPECT_NEAR(hypervolume({{0, 0, 0.5}, {0.5, 0.5, 0}}, {1, 1, 1}), 0.5 + 0.25 - 0.125, 1e-12);
  EXPECT_DOUBLE_EQ(hypervolume({{2, 0}}, {1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(hypervolume({{0.25}}, {1}), 0.75);
  EXPECT_THROW(hypervolume({{0, 0, 0, 0}}, {1, 1, 1, 1}), std::invalid_argument);
}

TEST(Hypervolume, EvenlySpacedZdt1FrontMatchesTheIssueFigure) {
  // 100 evenly spaced points on ZDT1's front reach 99.4% of the analytic hypervolume.
  ObjectiveMatrix front;
  for (int i = 0; i < 100; ++i) {
    const double x = i / 99.0;
    front.push_back({x, 1 - std::sqrt(x)});
  }
  const double ratio = hypervolume(front, {1.1, 1.1}) / test_problem("zdt1").analytic_hypervolume;
  EXPECT_NEAR(ratio, 0.994, 0.002);
}

struct Case {
  const char* problem;
  double min_ratio;
  double max_drop;  // largest relative hypervolume loss between two generations
};

// GoogleTest names the case by its problem instead of dumping its bytes.
void PrintTo(const Case& c, std::ostream* out) { *out << c.problem; }

class KnownFront : public ::testing::TestWithParam<Case> {};

TEST_P(KnownFront, ReachesTheAnalyticHypervolumeAndNeverLosesIt) {
  const auto problem = test_problem(GetParam().problem);
  RealRunSettings settings;
  settings.seed = 7;
  const std::vector<double> ref(problem.objectives, 1.1);
  const auto run = run_nsga2(problem, settings, ref);
  ASSERT_EQ(run.hypervolume.size(), 200u);
  const double ratio = run.hypervolume.back() / problem.analytic_hypervolume;
  EXPECT_GE(ratio, GetParam().min_ratio) << GetParam().problem << ": " << run.hypervolume.back();
  // Elitism: Deb's NSGA-II keeps every non-dominated point while the first front fits in the
  // population; once it overflows, crowding-distance truncation drops the most crowded points,
  // which can cost a sliver of hypervolume: under 0.1% on the 2-objective fronts, about 2% at
  // worst on DTLZ2, where crowding distance is known to spread 3 objectives poorly. A broken
  // elitism (survivors not taken front by front) loses far more.
  double worst_drop = 0;
  for (size_t g = 1; g < run.hypervolume.size(); ++g)
    worst_drop = std::max(worst_drop, (run.hypervolume[g - 1] - run.hypervolume[g]) / run.hypervolume[g - 1]);
  EXPECT_LT(worst_drop, GetParam().max_drop) << GetParam().problem;
  std::printf("%s: hypervolume %.5f = %.2f%% of the analytic front's; worst drop between generations %.5f%%\n",
              GetParam().problem, run.hypervolume.back(), 100 * ratio, 100 * worst_drop);
}

INSTANTIATE_TEST_SUITE_P(Problems, KnownFront,
                         ::testing::Values(Case{"zdt1", 0.985, 1e-3}, Case{"zdt2", 0.98, 1e-3}, Case{"dtlz2", 0.85, 0.03}),
                         [](const auto& info) { return std::string(info.param.problem); });

TEST(KnownFront, SameSeedSameRun) {
  RealRunSettings s;
  s.population = 20;
  s.generations = 10;
  const auto a = run_nsga2(test_problem("zdt3"), s, {1.1, 1.1}), b = run_nsga2(test_problem("zdt3"), s, {1.1, 1.1});
  EXPECT_EQ(a.objectives, b.objectives);
  EXPECT_THROW(test_problem("zdt9"), std::invalid_argument);
}

class SteadyState : public ::testing::TestWithParam<const char*> {};

// The issue's target: for the same 20000 evaluations, steady-state reaches the generational run's
// hypervolume within 1% (8 workers, results arriving out of order).
TEST_P(SteadyState, MatchesGenerationalForTheSameEvaluations) {
  const auto problem = test_problem(GetParam());
  RealRunSettings settings;
  settings.seed = 7;
  const std::vector<double> ref(problem.objectives, 1.1);
  const auto generational = run_nsga2(problem, settings, ref);
  const auto steady = run_steady_state_nsga2(problem, settings, SteadyStateSettings{}, ref);
  ASSERT_EQ(steady.hypervolume.size(), 200u);
  ASSERT_EQ(steady.objectives.size(), 100u);
  EXPECT_GE(steady.hypervolume.back(), 0.99 * generational.hypervolume.back()) << GetParam();
  std::printf("%s: steady-state %.5f, generational %.5f\n", GetParam(), steady.hypervolume.back(),
              generational.hypervolume.back());
}

INSTANTIATE_TEST_SUITE_P(Problems, SteadyState, ::testing::Values("zdt1", "zdt2", "zdt3", "dtlz2"),
                         [](const auto& info) { return std::string(info.param); });

TEST(SteadyState, AWholePopulationInFlightStillConverges) {
  // 100 workers: every candidate is bred from a population up to 100 results old.
  const auto problem = test_problem("zdt1");
  RealRunSettings settings;
  settings.seed = 3;
  SteadyStateSettings steady;
  steady.workers = 100;
  const auto run = run_steady_state_nsga2(problem, settings, steady, {1.1, 1.1});
  EXPECT_GE(run.hypervolume.back() / problem.analytic_hypervolume, 0.985);
}

TEST(SteadyState, SameSeedSameRunAndBadSettings) {
  RealRunSettings s;
  s.population = 20;
  s.generations = 10;
  const auto problem = test_problem("zdt3");
  const auto a = run_steady_state_nsga2(problem, s, SteadyStateSettings{}, {1.1, 1.1});
  const auto b = run_steady_state_nsga2(problem, s, SteadyStateSettings{}, {1.1, 1.1});
  EXPECT_EQ(a.objectives, b.objectives);
  EXPECT_EQ(a.hypervolume, b.hypervolume);
  SteadyStateSettings other;
  other.duration_sigma = 0;  // other arrival order, other run
  EXPECT_NE(run_steady_state_nsga2(problem, s, other, {1.1, 1.1}).objectives, a.objectives);
  SteadyStateSettings bad;
  bad.workers = 0;
  EXPECT_THROW(run_steady_state_nsga2(problem, s, bad, {1.1, 1.1}), std::invalid_argument);
  bad = SteadyStateSettings{};
  bad.duration_sigma = -1;
  EXPECT_THROW(run_steady_state_nsga2(problem, s, bad, {1.1, 1.1}), std::invalid_argument);
}

}  // namespace
