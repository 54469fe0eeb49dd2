// Offspring generation, and a small evolution on a cheap synthetic problem whose front must
// never get worse (elitism).
#include <gtest/gtest.h>

#include <set>

#include "evolve/hypervolume.hpp"
#include "evolve/offspring.hpp"
#include "genome/sampling.hpp"
#include "genome/validity.hpp"

namespace {

using namespace star;

TEST(Offspring, ValidDistinctAndDeterministic) {
  genome::GenomeSpace space{8, {1, 2, 3}, 4};
  genome::Rng rng(3);
  std::vector<genome::Genome> parents;
  for (int i = 0; i < 16; ++i) parents.push_back(genome::sample_genome(space, rng));
  evolve::ObjectiveMatrix f;
  for (int i = 0; i < 16; ++i) f.push_back({double(i % 5), double(16 - i)});
  const auto ranking = evolve::rank_population(f, evolve::Violations(16, 0.0));
  evolve::VariationSettings settings;
  genome::Rng a(42), b(42);
  const auto kids = evolve::make_offspring(parents, ranking, 16, space, settings, a);
  const auto again = evolve::make_offspring(parents, ranking, 16, space, settings, b);
  ASSERT_EQ(kids.size(), 16u);
  EXPECT_EQ(kids, again);
  std::set<std::string> texts;
  for (const auto& p : parents) texts.insert(genome::to_text(p));
  for (const auto& k : kids) {
    EXPECT_TRUE(genome::is_valid(k, space));
    EXPECT_TRUE(texts.insert(genome::to_text(k)).second) << "duplicate " << genome::to_text(k);
  }
}

evolve::Ranking flat_ranking(size_t n) {
  return evolve::rank_population(evolve::ObjectiveMatrix(n, {0.0}), evolve::Violations(n, 0.0));
}

TEST(Offspring, RejectsBadInput) {
  genome::GenomeSpace space;
  genome::Rng rng(1);
  const std::vector<genome::Genome> parents = {genome::sample_genome(space, rng), genome::sample_genome(space, rng)};
  const auto ranking = flat_ranking(2);
  auto bad = [&](auto change) {
    evolve::VariationSettings s;
    change(s);
    return s;
  };
  EXPECT_THROW(evolve::make_offspring(parents, ranking, 2, space, bad([](auto& s) { s.tournament_size = 0; }), rng),
               std::invalid_argument);
  EXPECT_THROW(evolve::make_offspring(parents, ranking, 2, space, bad([](auto& s) { s.mutation_rate = 1.5; }), rng),
               std::invalid_argument);
  EXPECT_THROW(evolve::make_offspring(parents, ranking, 2, space, bad([](auto& s) { s.crossover_points = -1; }), rng),
               std::invalid_argument);
  EXPECT_THROW(evolve::make_offspring(parents, ranking, 2, space, bad([](auto& s) { s.max_redraws = -1; }), rng),
               std::invalid_argument);
  EXPECT_THROW(evolve::make_offspring(parents, flat_ranking(3), 2, space, {}, rng), std::invalid_argument);
  EXPECT_THROW(evolve::make_offspring({}, flat_ranking(0), 2, space, {}, rng), std::invalid_argument);
  EXPECT_TRUE(evolve::make_offspring(parents, ranking, 0, space, {}, rng).empty());
}

TEST(Offspring, TinySpaceKeepsDuplicatesRatherThanLoopForever) {
  // Depth 1, class 1 only, one group: the whole space is 11111 and 11211.
  genome::GenomeSpace space{1, {1}, 1};
  const std::vector<genome::Genome> parents = {genome::parse_genome("11111"), genome::parse_genome("11211")};
  evolve::VariationSettings settings;
  settings.crossover_points = 10;  // more than a 1-LIV genome has boundaries: capped at 4
  genome::Rng rng(8);
  const auto kids = evolve::make_offspring(parents, flat_ranking(2), 7, space, settings, rng);
  ASSERT_EQ(kids.size(), 7u);
  for (const auto& k : kids) EXPECT_TRUE(genome::is_valid(k, space)) << genome::to_text(k);
}

TEST(Offspring, WithoutCrossoverAndMutationChildrenAreParents) {
  genome::GenomeSpace space;
  genome::Rng rng(6);
  std::vector<genome::Genome> parents;
  std::set<std::string> texts;
  for (int i = 0; i < 5; ++i) {
    parents.push_back(genome::sample_genome(space, rng));
    texts.insert(genome::to_text(parents.back()));
  }
  evolve::VariationSettings settings;
  settings.crossover_points = 0;
  settings.mutation_rate = 0;
  settings.max_redraws = 0;
  for (const auto& k : evolve::make_offspring(parents, flat_ranking(5), 10, space, settings, rng))
    EXPECT_TRUE(texts.count(genome::to_text(k))) << genome::to_text(k);
}

// Objective 1: fewer attention LIVs is better; objective 2: more attention LIVs is better, plus
// a small penalty on group numbers. A conflict, so the front spreads over attention counts.
std::vector<double> score(const genome::Genome& g) {
  double attention = 0, groups = 0;
  for (const auto& liv : g.livs) {
    attention += liv.cls == 3;
    groups += liv.featurizer_group + liv.feature_group;
  }
  return {attention + groups / 1000.0, double(g.livs.size()) - attention + groups / 100.0};
}

TEST(Offspring, ElitistEvolutionNeverLosesGround) {
  genome::GenomeSpace space{6, {1, 2, 3}, 4};
  genome::Rng rng(7);
  std::vector<genome::Genome> pop;
  for (int i = 0; i < 16; ++i) pop.push_back(genome::sample_genome(space, rng));
  double last_area = -1;
  for (int gen = 0; gen < 30; ++gen) {
    evolve::ObjectiveMatrix f;
    for (const auto& g : pop) f.push_back(score(g));
    const auto ranking = evolve::rank_population(f, evolve::Violations(pop.size(), 0.0));
    auto kids = evolve::make_offspring(pop, ranking, 16, space, evolve::VariationSettings{}, rng);
    std::vector<genome::Genome> pool = pop;
    pool.insert(pool.end(), kids.begin(), kids.end());
    evolve::ObjectiveMatrix pf;
    for (const auto& g : pool) pf.push_back(score(g));
    const auto keep = evolve::nsga2_survival(pf, evolve::Violations(pool.size(), 0.0), 16);
    pop.clear();
    evolve::ObjectiveMatrix sf;
    for (int i : keep) {
      pop.push_back(pool[i]);
      sf.push_back(pf[i]);
    }
    const double area = evolve::hypervolume(sf, {10, 10});
    EXPECT_GE(area, last_area - 1e-12) << "generation " << gen;
    last_area = area;
  }
  // The front reaches both extremes: no attention at all, and attention everywhere.
  std::set<int> counts;
  for (const auto& g : pop) counts.insert(static_cast<int>(score(g)[0]));
  EXPECT_TRUE(counts.count(0));
  EXPECT_TRUE(counts.count(6));
}

}  // namespace
