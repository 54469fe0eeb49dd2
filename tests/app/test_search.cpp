// Rank 0's search logic with stand-in scores (a pure function of the genome), so the test is
// about selection, deduplication and restart, not training. Training is covered by test_train
// and the end-to-end runs.
#include <gtest/gtest.h>

#include "app/search.hpp"
#include "genome/genome.hpp"

namespace {

using namespace star;

io::Config config() {
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
)",
                            "test.toml");
  return c;
}

// Stand-in evaluation: quality prefers attention (class 3), size prefers SwiGLU (class 1).
train::EvalResult score(const std::string& text) {
  auto g = genome::parse_genome(text);
  train::EvalResult r;
  r.status = train::EvalStatus::ok;
  double attention = 0;
  for (const auto& liv : g.livs) attention += liv.cls == 3;
  r.loss = 3.0 - attention * 0.5 + 0.01 * g.livs[0].featurizer_group;
  r.parameters = 1000 + static_cast<int64_t>(attention) * 300 + g.livs[1].cls;
  if (text.rfind("2", 0) == 0 && g.livs[3].cls == 2) r.status = train::EvalStatus::diverged;
  return r;
}

void run_generation(app::Search& s) {
  const auto candidates = s.draw_candidates();
  std::map<std::string, train::EvalResult> fresh;
  for (const auto& text : s.untrained(candidates)) fresh[text] = score(text);
  s.complete_generation(candidates, fresh);
}

TEST(Search, FirstGenerationHasSeedsThenDistinctSamples) {
  app::Search s(config(), {});
  auto c = s.draw_candidates();
  ASSERT_EQ(c.size(), 8u);
  EXPECT_EQ(c[0], "31111-11111-31111-11111");
  EXPECT_EQ(std::set<std::string>(c.begin(), c.end()).size(), 8u);
}

TEST(Search, UntrainedSkipsDuplicatesAndEarlierResults) {
  app::Search s(config(), {});
  run_generation(s);
  const auto& first = s.history().generations[0].evaluated;
  std::vector<std::string> candidates = {first[0].genome, first[0].genome, "11111-11111-11111-11111"};
  auto todo = s.untrained(candidates);
  ASSERT_EQ(todo.size(), first[0].genome == "11111-11111-11111-11111" ? 0u : 1u);
}

TEST(Search, PopulationKeepsTheBestAndRanksIt) {
  app::Search s(config(), {});
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

TEST(Search, RestartFromHistoryMakesTheSameChoices) {
  app::Search straight(config(), {});
  for (int g = 0; g < 6; ++g) run_generation(straight);

  app::Search first(config(), {});
  for (int g = 0; g < 3; ++g) run_generation(first);
  app::Search resumed(config(), first.history());  // as read back from the checkpoint
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

}  // namespace
