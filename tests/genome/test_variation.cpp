// Mutation and k-point crossover.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "genome/sampling.hpp"
#include "genome/variation.hpp"

namespace {

using namespace star::genome;

TEST(Mutation, RateZeroChangesNothingRateOneChangesMost) {
  GenomeSpace space{24, {1, 2, 3}, 35};
  Rng rng(1);
  auto g = sample_genome(space, rng);
  auto same = g;
  mutate(same, space, 0.0, rng);
  EXPECT_EQ(same, g);
  int changed = 0, total = 0;
  for (int trial = 0; trial < 50; ++trial) {
    auto m = g;
    mutate(m, space, 1.0, rng);
    const auto a = flatten(g), b = flatten(m);
    for (size_t i = 0; i < a.size(); ++i) changed += a[i] != b[i];
    total += static_cast<int>(a.size());
  }
  // Redrawing uniformly keeps the old value with probability 1/range (1/3 .. 1/35, 1/2 for strategies).
  EXPECT_GT(changed, total / 3);
  EXPECT_LT(changed, total);
}

TEST(Mutation, ChangesTheExpectedFraction) {
  // One class (so a class redraw never changes it), strategies 1..2 and groups 1..35: a position
  // changes with probability rate * (1 - 1/range): 0 for the class, 34/35 for groups, 1/2 for strategies.
  GenomeSpace space{20, {3}, 35};
  const double rate = 0.3;
  Rng rng(11);
  const auto g = sample_genome(space, rng);
  const auto before = flatten(g);
  const double expected_per_liv = rate * (2 * 34.0 / 35.0 + 2 * 0.5);
  const int trials = 400;
  int changed = 0;
  for (int t = 0; t < trials; ++t) {
    auto m = g;
    mutate(m, space, rate, rng);
    const auto after = flatten(m);
    for (size_t i = 0; i < before.size(); ++i) changed += before[i] != after[i];
  }
  const double expected = expected_per_liv * space.depth * trials;  // about 7,000
  EXPECT_NEAR(changed, expected, 0.05 * expected);
}

TEST(Mutation, StrategiesFollowTheNewClass) {
  // Every position mutated: a LIV that became class 1 or 2 must get feature-group strategy 1,
  // since those classes have nothing to share.
  GenomeSpace space{4, {1, 2, 3}, 4};
  Rng rng(2);
  for (int t = 0; t < 1000; ++t) {
    auto g = parse_genome("32222-32222-32222-32222");
    mutate(g, space, 1.0, rng);
    for (const auto& liv : g.livs) {
      if (liv.cls != 3) {
        ASSERT_EQ(liv.feature_group_strategy, 1) << to_text(g);
      }
    }
  }
}

TEST(Variation, SameSeedSameGenomes) {
  GenomeSpace space{6, {1, 2, 3}, 5};
  auto run = [&](uint64_t seed) {
    Rng rng(seed);
    std::vector<std::string> texts;
    for (int i = 0; i < 200; ++i) {
      auto a = sample_genome(space, rng), b = sample_genome(space, rng);
      auto [c, d] = crossover(a, b, 3, rng);
      mutate(c, space, 0.2, rng);
      texts.push_back(to_text(c) + " " + to_text(d));
    }
    return texts;
  };
  EXPECT_EQ(run(123), run(123));
  EXPECT_NE(run(123), run(124));
}

TEST(Crossover, ChildrenTakeEachPositionFromAParent) {
  GenomeSpace space{6, {1, 2, 3}, 9};
  Rng rng(5);
  for (int trial = 0; trial < 500; ++trial) {
    const auto a = sample_genome(space, rng), b = sample_genome(space, rng);
    const int points = uniform_int(rng, 1, 29);
    const auto [c, d] = crossover(a, b, points, rng);
    const auto fa = flatten(a), fb = flatten(b), fc = flatten(c), fd = flatten(d);
    int switches = 0;
    bool from_b = false;
    for (size_t i = 0; i < fa.size(); ++i) {
      ASSERT_TRUE(fc[i] == fa[i] || fc[i] == fb[i]);
      ASSERT_EQ(fc[i] == fa[i] ? fb[i] : fa[i], fd[i]) << "the second child is the complement";
      if (fa[i] != fb[i]) {
        const bool now_b = fc[i] == fb[i];
        if (now_b != from_b) ++switches;
        from_b = now_b;
      }
    }
    EXPECT_LE(switches, points);
  }
}

TEST(Crossover, OnePointIsPrefixAndSuffix) {
  const auto a = parse_genome("11111-11111"), b = parse_genome("32222-32222");
  Rng rng(9);
  for (int trial = 0; trial < 100; ++trial) {
    const auto c = flatten(crossover(a, b, 1, rng).first);
    size_t cut = 0;
    while (cut < c.size() && c[cut] == flatten(a)[cut]) ++cut;
    ASSERT_GT(cut, 0u);
    ASSERT_LT(cut, c.size());
    for (size_t i = cut; i < c.size(); ++i) ASSERT_EQ(c[i], flatten(b)[i]);
  }
}

TEST(Crossover, RejectsBadArguments) {
  Rng rng(1);
  const auto a = parse_genome("11111-11111");
  EXPECT_THROW(crossover(a, parse_genome("11111"), 1, rng), std::invalid_argument);
  EXPECT_THROW(crossover(a, a, 0, rng), std::invalid_argument);
  EXPECT_THROW(crossover(a, a, 10, rng), std::invalid_argument);
}

}  // namespace
