// Mutation and k-point crossover.
#include <gtest/gtest.h>

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

TEST(Random, SavedStateContinuesTheSameDraws) {
  Rng rng(77);
  for (int i = 0; i < 10; ++i) rng();
  const auto state = rng_state(rng);
  std::vector<uint64_t> expected;
  for (int i = 0; i < 5; ++i) expected.push_back(rng());
  Rng restored;
  restore_rng_state(restored, state);
  for (auto v : expected) EXPECT_EQ(restored(), v);
  EXPECT_THROW(restore_rng_state(restored, "garbage"), std::invalid_argument);
}

}  // namespace
