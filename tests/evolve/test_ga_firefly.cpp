// The GA and the firefly algorithm: their parts on hand-made cases, then both on a genome
// problem with a known answer (the distance to a target genome, optimum 0), where elitism means
// the best never gets worse and the same seed gives the same run.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "evolve/firefly.hpp"
#include "evolve/generational_survival.hpp"
#include "evolve/offspring.hpp"
#include "evolve/scalar_ranking.hpp"
#include "genome/sampling.hpp"
#include "genome/validity.hpp"

namespace {

using namespace star;
const double kInf = std::numeric_limits<double>::infinity();

TEST(ScalarRanking, WeightedSumAndTies) {
  const evolve::ObjectiveMatrix f = {{1, 10}, {2, 0}, {1, 10}, {0, kInf}};
  EXPECT_EQ(evolve::weighted_sum(f, {1, 0}), (std::vector<double>{1, 2, 1, 0}));  // the infinity is ignored
  EXPECT_EQ(evolve::weighted_sum(f, {1, 0.5})[1], 2.0);
  EXPECT_THROW(evolve::weighted_sum(f, {1}), std::invalid_argument);
  const std::vector<double> fitness = {6, 2, 6, 0};
  const evolve::Violations v = {0, 0, 0, 0.5};  // 3 is best by fitness but over a budget
  EXPECT_EQ(evolve::scalar_order(fitness, v), (std::vector<int>{1, 0, 2, 3}));
  const auto r = evolve::scalar_ranking(fitness, v);
  EXPECT_EQ(r.front_rank, (std::vector<int>{1, 0, 1, 2}));
  EXPECT_FALSE(evolve::crowded_less(r, 0, 2));
  EXPECT_TRUE(evolve::crowded_less(r, 1, 0));
}

TEST(GenerationalSurvival, ElitesThenEveryNewIndividual) {
  // Parents 0..3 (fitness 5, 1, 3, 2), new individuals 4..6 (fitness 9, 0, 4).
  const std::vector<double> fitness = {5, 1, 3, 2, 9, 0, 4};
  const evolve::Violations none(7, 0.0);
  EXPECT_EQ(evolve::generational_survival(fitness, none, 4, 1), (std::vector<int>{5, 1, 6, 4}));
  EXPECT_EQ(evolve::generational_survival(fitness, none, 4, 2), (std::vector<int>{5, 1, 3, 6, 4}));
  EXPECT_EQ(evolve::generational_survival(fitness, none, 4, 0), (std::vector<int>{5, 6, 4}));
  EXPECT_EQ(evolve::generational_survival(fitness, none, 4, 9).size(), 7u);
  // An over-budget parent is no elite while a feasible one is left.
  EXPECT_EQ(evolve::generational_survival(fitness, {0, 0.5, 0, 0, 0, 0, 0}, 4, 1), (std::vector<int>{5, 3, 6, 4}));
  EXPECT_THROW(evolve::generational_survival(fitness, none, 8, 1), std::invalid_argument);
}

genome::GenomeSpace space() { return genome::GenomeSpace{8, {1, 2, 3}, 3}; }

TEST(Firefly, DimmerFireflyLandsOnTheBrighterWithoutAbsorptionOrNoise) {
  genome::Rng rng(5);
  const std::vector<genome::Genome> flies = {genome::parse_genome("11111-11111-11111-11111-11111-11111-11111-11111"),
                                             genome::sample_genome(space(), rng)};
  const auto brightness = evolve::scalar_ranking({1.0, 0.0}, {0, 0});  // 1 is brighter
  evolve::FireflySettings s;
  s.gamma = 0;
  s.alpha = 0;
  auto moved = evolve::move_fireflies(flies, brightness, 0, space(), s, rng);
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved[0], flies[1]);  // beta = 1: all the way
  EXPECT_EQ(moved[1], flies[1]);  // the brightest has nobody to follow and no random step
  s.beta0 = 0;
  moved = evolve::move_fireflies(flies, brightness, 1, space(), s, rng);
  ASSERT_EQ(moved.size(), 1u);  // the brightest is an elite and stays out
  EXPECT_EQ(moved[0], flies[0]);  // no attraction, no noise: no move
}

TEST(Firefly, MovesAreValidDeterministicAndChecked) {
  genome::Rng rng(9);
  std::vector<genome::Genome> flies;
  std::vector<double> fitness;
  for (int i = 0; i < 12; ++i) {
    flies.push_back(genome::sample_genome(space(), rng));
    fitness.push_back(i % 4);
  }
  const auto brightness = evolve::scalar_ranking(fitness, evolve::Violations(12, 0.0));
  genome::Rng a(1), b(1);
  const auto moved = evolve::move_fireflies(flies, brightness, 2, space(), {}, a);
  EXPECT_EQ(moved, evolve::move_fireflies(flies, brightness, 2, space(), {}, b));
  ASSERT_EQ(moved.size(), 10u);
  for (const auto& g : moved) EXPECT_TRUE(genome::is_valid(g, space())) << genome::to_text(g);
  EXPECT_THROW(evolve::move_fireflies(flies, evolve::scalar_ranking({1}, {0}), 0, space(), {}, a), std::invalid_argument);
  EXPECT_THROW(evolve::move_fireflies(flies, brightness, 0, space(), {2.0, 1.0, 0.1}, a), std::invalid_argument);
  EXPECT_THROW(evolve::move_fireflies(flies, brightness, -1, space(), {}, a), std::invalid_argument);
}

// The known problem: how many of the 40 integers differ from a fixed valid target.
const genome::Genome& target() {
  static const genome::Genome t = genome::parse_genome("31221-21111-32121-11111-23111-31111-12111-33121");
  return t;
}

double distance_to_target(const genome::Genome& g) {
  const auto a = genome::flatten(g), b = genome::flatten(target());
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i) d += a[i] != b[i];
  return d;
}

enum class Algorithm { ga, firefly };

// Best distance after each generation of a population of 24 with 2 elites.
std::vector<double> evolve_toward_target(Algorithm algorithm, uint64_t seed, int generations) {
  genome::Rng rng(seed);
  std::vector<genome::Genome> pop;
  for (int i = 0; i < 24; ++i) pop.push_back(genome::sample_genome(space(), rng));
  const int elites = 2;
  std::vector<double> best;
  for (int gen = 0; gen < generations; ++gen) {
    std::vector<double> fitness;
    for (const auto& g : pop) fitness.push_back(distance_to_target(g));
    const evolve::Violations none(pop.size(), 0.0);
    const auto ranking = evolve::scalar_ranking(fitness, none);
    const int n = static_cast<int>(pop.size()) - elites;
    auto fresh = algorithm == Algorithm::ga
                     ? evolve::make_offspring(pop, ranking, n, space(), evolve::VariationSettings{3, 2, 0.05, 20}, rng)
                     : evolve::move_fireflies(pop, ranking, elites, space(), {1.0, 1.0, 0.05}, rng);
    auto pool = pop;
    pool.insert(pool.end(), fresh.begin(), fresh.end());
    for (const auto& g : fresh) fitness.push_back(distance_to_target(g));
    std::vector<genome::Genome> next;
    for (int i : evolve::generational_survival(fitness, evolve::Violations(pool.size(), 0.0),
                                               static_cast<int>(pop.size()), elites))
      next.push_back(pool[i]);
    pop = next;
    best.push_back(distance_to_target(pop[0]));
  }
  return best;
}

class KnownTarget : public ::testing::TestWithParam<Algorithm> {};

TEST_P(KnownTarget, ApproachesTheTargetNeverLosesGroundAndRepeats) {
  const auto run = evolve_toward_target(GetParam(), 11, 60);
  for (size_t g = 1; g < run.size(); ++g) ASSERT_LE(run[g], run[g - 1]) << "elitism lost the best at generation " << g;
  // Random genomes differ from the target in about 23 of 40 integers.
  EXPECT_LE(run.back(), 4) << "best distance after 60 generations";
  EXPECT_LT(run.back(), run.front());
  EXPECT_EQ(run, evolve_toward_target(GetParam(), 11, 60));
}

INSTANTIATE_TEST_SUITE_P(Algorithms, KnownTarget, ::testing::Values(Algorithm::ga, Algorithm::firefly),
                         [](const auto& info) { return info.param == Algorithm::ga ? "ga" : "firefly"; });

}  // namespace
