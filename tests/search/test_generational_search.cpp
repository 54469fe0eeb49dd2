// Rank 0's search logic with stand-in scores (a pure function of the genome), so the test is
// about selection, deduplication and restart, not training. Training is covered by test_train
// and the end-to-end runs.
#include <gtest/gtest.h>

#include "../support/stand_in_score.hpp"
#include "evolve/hypervolume.hpp"
#include "genome/genome.hpp"
#include "search/generational_search.hpp"
#include "search/objectives.hpp"

namespace {

using namespace star;

// `evolution` adds keys to [evolution].
io::Config config(const std::string& evolution = "") {
  auto c = io::parse_config(R"(
[run]
seed = 3
[genome]
depth = 4
[evolution]
population = 8
generations = 6
objectives = ["quality", "params"]
initial_genomes = ["31111-11111-31111-11111"]
)" + evolution,
                            "test.toml");
  return c;
}

train::EvalResult score(const std::string& text) { return test::stand_in_score(text); }

void run_generation(search::GenerationalSearch& s) {
  const auto candidates = s.draw_candidates();
  std::map<std::string, train::EvalResult> fresh;
  for (const auto& text : s.untrained(candidates)) fresh[text] = score(text);
  s.complete_generation(candidates, fresh);
}

TEST(GenerationalSearch, FirstGenerationHasSeedsThenDistinctSamples) {
  search::GenerationalSearch s(config(), {});
  auto c = s.draw_candidates();
  ASSERT_EQ(c.size(), 8u);
  EXPECT_EQ(c[0], "31111-11111-31111-11111");
  EXPECT_EQ(std::set<std::string>(c.begin(), c.end()).size(), 8u);
}

TEST(GenerationalSearch, UntrainedSkipsDuplicatesAndEarlierResults) {
  search::GenerationalSearch s(config(), {});
  run_generation(s);
  const auto& first = s.history().generations[0].evaluated;
  std::vector<std::string> candidates = {first[0].genome, first[0].genome, "11111-11111-11111-11111"};
  auto todo = s.untrained(candidates);
  ASSERT_EQ(todo.size(), first[0].genome == "11111-11111-11111-11111" ? 0u : 1u);
}

TEST(GenerationalSearch, PopulationKeepsTheBestAndRanksIt) {
  search::GenerationalSearch s(config(), {});
  for (int g = 0; g < 6; ++g) run_generation(s);
  EXPECT_TRUE(s.finished());
  const auto& pop = s.history().generations.back().population;
  ASSERT_EQ(pop.size(), 8u);
  // The best quality ever evaluated survives (elitism).
  double best = 1e9;
  for (const auto& g : s.history().generations)
    for (const auto& p : g.evaluated)
      if (p.result.feasible()) best = std::min(best, p.result.loss);
  double best_in_pop = 1e9;
  for (const auto& p : pop) best_in_pop = std::min(best_in_pop, p.result.loss);
  EXPECT_EQ(best_in_pop, best);
  for (const auto& p : pop) EXPECT_GE(p.front_rank, 0);
}

TEST(GenerationalSearch, RestartFromHistoryMakesTheSameChoices) {
  search::GenerationalSearch straight(config(), {});
  for (int g = 0; g < 6; ++g) run_generation(straight);

  search::GenerationalSearch first(config(), {});
  for (int g = 0; g < 3; ++g) run_generation(first);
  search::GenerationalSearch resumed(config(), first.history());  // as read back from the checkpoint
  EXPECT_EQ(resumed.next_generation(), 3);
  while (!resumed.finished()) run_generation(resumed);

  const auto &a = straight.history().generations, &b = resumed.history().generations;
  ASSERT_EQ(a.size(), b.size());
  for (size_t g = 0; g < a.size(); ++g) {
    ASSERT_EQ(a[g].population.size(), b[g].population.size());
    for (size_t i = 0; i < a[g].population.size(); ++i) EXPECT_EQ(a[g].population[i].genome, b[g].population[i].genome);
    EXPECT_EQ(a[g].rng_state, b[g].rng_state);
  }
}

// The same run straight through and stopped after 3 generations then resumed from the history
// (as the checkpoint holds it): identical generations, hypervolumes and reference included.
void expect_resume_identical(const io::Config& c) {
  search::GenerationalSearch straight(c, {});
  while (!straight.finished()) run_generation(straight);
  search::GenerationalSearch first(c, {});
  for (int g = 0; g < 3; ++g) run_generation(first);
  search::GenerationalSearch resumed(c, first.history());
  while (!resumed.finished()) run_generation(resumed);
  const auto &a = straight.history(), &b = resumed.history();
  EXPECT_EQ(a.hypervolume_reference, b.hypervolume_reference);
  ASSERT_EQ(a.generations.size(), b.generations.size());
  for (size_t g = 0; g < a.generations.size(); ++g) {
    const auto &x = a.generations[g], &y = b.generations[g];
    ASSERT_EQ(x.evaluated.size(), y.evaluated.size()) << "generation " << g;
    for (size_t i = 0; i < x.evaluated.size(); ++i) EXPECT_EQ(x.evaluated[i].genome, y.evaluated[i].genome);
    ASSERT_EQ(x.population.size(), y.population.size());
    for (size_t i = 0; i < x.population.size(); ++i) EXPECT_EQ(x.population[i].genome, y.population[i].genome);
    EXPECT_EQ(x.rng_state, y.rng_state);
    EXPECT_EQ(x.hypervolume, y.hypervolume);
  }
}

class Algorithms : public ::testing::TestWithParam<std::string> {};

// GA and firefly: after generation 0, population - elite_count new genomes a generation, the
// elite parents carried over, the best quality never lost (fitness is quality alone by
// default), and the same seed gives the same run, resumed or not.
TEST_P(Algorithms, ElitesCarryOverAndTheRunRepeats) {
  const auto c = config("algorithm = \"" + GetParam() + "\"\nelite_count = 2\n");
  search::GenerationalSearch s(c, {});
  double best = 1e9;
  while (!s.finished()) {
    const auto candidates = s.draw_candidates();
    EXPECT_EQ(candidates.size(), s.next_generation() == 0 ? 8u : 6u);
    std::map<std::string, train::EvalResult> fresh;
    for (const auto& text : s.untrained(candidates)) fresh[text] = score(text);
    const auto& record = s.complete_generation(candidates, fresh);
    ASSERT_EQ(record.population.size(), 8u);
    for (const auto& p : record.evaluated)
      if (p.result.feasible()) best = std::min(best, p.result.loss);
    EXPECT_EQ(record.population[0].result.loss, best) << "generation " << record.index;
  }
  expect_resume_identical(c);
  search::GenerationalSearch other(config("algorithm = \"" + GetParam() + "\"\nelite_count = 2\n"), {});
  while (!other.finished()) run_generation(other);
  EXPECT_EQ(other.history().generations.back().rng_state, s.history().generations.back().rng_state);
}

INSTANTIATE_TEST_SUITE_P(GaAndFirefly, Algorithms, ::testing::Values("ga", "firefly"));

TEST(GenerationalSearch, NsgaTwoResumeKeepsTheHypervolumes) { expect_resume_identical(config()); }

// The reference is 1.1 x the worst feasible value of each objective in generation 0, and each
// generation's hypervolume is that of its feasible population.
TEST(GenerationalSearch, HypervolumeOfTheFeasiblePopulationAgainstTheFirstGeneration) {
  search::GenerationalSearch s(config(), {});
  while (!s.finished()) run_generation(s);
  const auto& h = s.history();
  std::vector<double> worst = {0, 0};
  for (const auto& p : h.generations[0].evaluated)
    if (p.result.feasible())
      for (int m = 0; m < 2; ++m) worst[m] = std::max(worst[m], p.objectives[m]);
  ASSERT_EQ(h.hypervolume_reference.size(), 2u);
  EXPECT_EQ(h.hypervolume_reference[0], worst[0] * 1.1);
  EXPECT_EQ(h.hypervolume_reference[1], worst[1] * 1.1);
  for (const auto& g : h.generations) {
    evolve::ObjectiveMatrix feasible;
    for (const auto& p : g.population)
      if (p.result.feasible()) feasible.push_back(p.objectives);
    EXPECT_EQ(g.hypervolume, evolve::hypervolume(feasible, h.hypervolume_reference));
    EXPECT_GT(g.hypervolume, 0);
  }
  search::GenerationalSearch fixed(config("reference_point = [5.0, 3000]\n"), {});
  run_generation(fixed);
  EXPECT_EQ(fixed.history().hypervolume_reference, (std::vector<double>{5.0, 3000}));
}

// A parameter budget: over-budget genomes rank behind every feasible one (by how far over), and
// do not count in the hypervolume.
TEST(GenerationalSearch, OverBudgetGenomesRankBehindFeasibleOnes) {
  search::GenerationalSearch s(config("max_params = 1601\n"), {});  // 3 or 4 attention LIVs are over
  int over = 0;
  while (!s.finished()) {
    run_generation(s);
    const auto& g = s.history().generations.back();
    int worst_feasible = -1, best_over = 1 << 30;
    evolve::ObjectiveMatrix within;
    for (const auto& p : g.population) {
      if (!p.result.feasible()) continue;
      if (p.result.parameters > 1601) {
        best_over = std::min(best_over, p.front_rank);
        ++over;
      } else {
        worst_feasible = std::max(worst_feasible, p.front_rank);
        within.push_back(p.objectives);
      }
    }
    EXPECT_LT(worst_feasible, best_over) << "generation " << g.index;
    EXPECT_EQ(g.hypervolume, evolve::hypervolume(within, s.history().hypervolume_reference));
  }
  EXPECT_GT(over, 0) << "no genome went over the budget: the test checks nothing";
}

}  // namespace

namespace {

// The measured inference budgets count as the others do, by relative excess, and the measured
// objectives read the record's timings.
TEST(Objectives, MeasuredInferenceBudgetsAndObjectivesReadTheTimings) {
  train::EvalResult r;
  r.status = train::EvalStatus::ok;
  r.loss = 2;
  r.prefill_ms = 3;
  r.decode_ms = 0.5;
  r.inference_memory_bytes = 2000;
  io::EvolutionSettings budgets;
  EXPECT_EQ(search::constraint_violation(r, budgets), 0);
  budgets.max_decode_ms = 0.25;  // twice over
  EXPECT_DOUBLE_EQ(search::constraint_violation(r, budgets), 1.0);
  budgets.max_inference_bytes = 1000;  // and twice over again
  EXPECT_DOUBLE_EQ(search::constraint_violation(r, budgets), 2.0);
  budgets.max_prefill_ms = 6;  // within
  EXPECT_DOUBLE_EQ(search::constraint_violation(r, budgets), 2.0);
  EXPECT_EQ(search::objective_values(r, {"quality", "prefill_latency", "decode_latency", "inference_memory"}),
            (std::vector<double>{2, 3, 0.5, 2000}));
}

// [train] hurdles: a genome stopped at a hurdle ranks behind every genome that trained to the end
// (over a budget or not), among the stopped by its loss, and does not count in the hypervolume.
TEST(GenerationalSearch, GenomesStoppedAtHurdlesRankBehindThoseTrainedToTheEnd) {
  search::GenerationalSearch s(config("max_params = 1601\n"), {});
  int stopped = 0;
  while (!s.finished()) {
    const auto candidates = s.draw_candidates();
    std::map<std::string, train::EvalResult> fresh;
    for (const auto& text : s.untrained(candidates)) {
      auto r = score(text);
      if (text[0] != '3') {  // a stand-in for a loss above the hurdle's threshold: most genomes
        r.status = train::EvalStatus::stopped;
        r.fidelity = 0.25;
        r.loss += 1;
      }
      fresh[text] = r;
    }
    s.complete_generation(candidates, fresh);
    const auto& g = s.history().generations.back();
    int worst_trained = -1, best_stopped = 1 << 30;
    std::vector<std::pair<double, int>> stopped_ranks;  // loss, front rank
    evolve::ObjectiveMatrix within;
    for (const auto& p : g.population) {
      if (p.result.status == train::EvalStatus::stopped) {
        best_stopped = std::min(best_stopped, p.front_rank);
        stopped_ranks.push_back({p.result.loss, p.front_rank});
        ++stopped;
      } else {
        worst_trained = std::max(worst_trained, p.front_rank);
        if (p.result.parameters <= 1601) within.push_back(p.objectives);
      }
    }
    EXPECT_LT(worst_trained, best_stopped) << "generation " << g.index;
    std::sort(stopped_ranks.begin(), stopped_ranks.end());
    for (size_t i = 1; i < stopped_ranks.size(); ++i)
      EXPECT_LE(stopped_ranks[i - 1].second, stopped_ranks[i].second) << "generation " << g.index;
    EXPECT_EQ(g.hypervolume, evolve::hypervolume(within, s.history().hypervolume_reference));
  }
  EXPECT_GT(stopped, 0) << "no stopped genome survived into a population: the test checks nothing";
}

}  // namespace
