// Validity against a search space, sampling, and repair under tens of thousands of random
// mutations and crossovers.
#include <gtest/gtest.h>

#include "genome/repair.hpp"
#include "genome/sampling.hpp"
#include "genome/validity.hpp"
#include "genome/variation.hpp"

namespace {

using namespace star::genome;

TEST(Validity, ListsEveryViolationWithPlace) {
  GenomeSpace space;  // depth 4, classes 1-3, groups 1..4
  EXPECT_TRUE(is_valid(parse_genome("21211-31112-21221-32112"), space));
  const auto v = violations(parse_genome("21212-71112-25221-32115"), space);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_NE(v[0].find("LIV 1, position 5"), std::string::npos) << v[0];  // GConv-1 has no feature groups to share
  EXPECT_NE(v[1].find("LIV 2, position 1"), std::string::npos) << v[1];  // class 7 not allowed
  EXPECT_NE(v[2].find("LIV 3, position 2"), std::string::npos) << v[2];  // group 5 > max_group
  EXPECT_NE(v[3].find("LIV 4, position 5"), std::string::npos) << v[3];
  EXPECT_FALSE(violations(parse_genome("21211"), space).empty());  // depth
}

TEST(Validity, SpaceChecks) {
  GenomeSpace s;
  EXPECT_NO_THROW(check_space(s));
  s.classes = {1, 42};
  EXPECT_THROW(check_space(s), std::invalid_argument);
  s = GenomeSpace{};
  s.depth = 0;
  EXPECT_THROW(check_space(s), std::invalid_argument);
  s = GenomeSpace{};
  s.max_group = 36;
  EXPECT_THROW(check_space(s), std::invalid_argument);
}

TEST(Sampling, AlwaysValidAndDeterministic) {
  for (const GenomeSpace& space : {GenomeSpace{}, GenomeSpace{1, {3}, 1}, GenomeSpace{24, {1, 2}, 35}}) {
    Rng rng(7), again(7);
    for (int i = 0; i < 1000; ++i) {
      const auto g = sample_genome(space, rng);
      ASSERT_TRUE(is_valid(g, space)) << to_text(g);
      ASSERT_EQ(g, sample_genome(space, again));
    }
  }
}

TEST(Repair, FixesOnlyWhatIsBroken) {
  GenomeSpace space;
  Rng rng(3);
  auto g = parse_genome("21212-71112-25221-32115");
  auto before = flatten(g);
  // Four violations; LIV 2's feature-group strategy 2 may become a fifth once its class is redrawn.
  const int resampled = repair(g, space, rng);
  EXPECT_GE(resampled, 4);
  EXPECT_LE(resampled, 5);
  EXPECT_TRUE(is_valid(g, space));
  const auto after = flatten(g);
  int changed = 0;
  for (size_t i = 0; i < before.size(); ++i) changed += before[i] != after[i];
  EXPECT_LE(changed, resampled);  // nothing else moved
  auto valid = parse_genome("21211-31112-21221-32112");
  EXPECT_EQ(repair(valid, space, rng), 0);
  EXPECT_EQ(to_text(valid), "21211-31112-21221-32112");
  auto short_genome = parse_genome("21211");
  EXPECT_THROW(repair(short_genome, space, rng), std::invalid_argument);
}

// The property the evolution relies on: whatever mutation and crossover do, repair returns a
// valid genome, and a valid genome passes repair untouched.
TEST(Repair, PropertyOverTwentyThousandRandomOperations) {
  const std::vector<GenomeSpace> spaces = {GenomeSpace{}, GenomeSpace{8, {1, 3}, 3}, GenomeSpace{12, {2, 3}, 6}};
  Rng rng(2024);
  int repaired_positions = 0;
  for (int i = 0; i < 20000; ++i) {
    const auto& space = spaces[i % spaces.size()];
    auto a = sample_genome(space, rng), b = sample_genome(space, rng);
    const int points = uniform_int(rng, 1, 5 * space.depth - 1);
    auto [c, d] = crossover(a, b, points, rng);
    mutate(c, space, uniform_real(rng), rng);
    repaired_positions += repair(c, space, rng);
    ASSERT_TRUE(is_valid(c, space)) << to_text(c);
    repair(d, space, rng);
    const auto text = to_text(d);
    ASSERT_EQ(repair(d, space, rng), 0);
    ASSERT_EQ(to_text(d), text);
  }
  EXPECT_GT(repaired_positions, 0);  // the operators do produce invalid genomes
}

}  // namespace
