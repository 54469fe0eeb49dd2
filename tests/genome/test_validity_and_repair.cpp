// Validity against a search space, sampling, and repair under tens of thousands of random
// mutations and crossovers.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "genome/blocks.hpp"
#include "genome/liv_class.hpp"
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
  EXPECT_NE(v[1].find("7 is not one of the allowed classes 1, 2, 3"), std::string::npos) << v[1];
  EXPECT_NE(v[2].find("5 is not in 1..4"), std::string::npos) << v[2];
  EXPECT_NE(v[3].find("5 is not in 1..2 for class 3 (SA-1)"), std::string::npos) << v[3];
  const auto depth = violations(parse_genome("21211"), space);
  ASSERT_EQ(depth.size(), 1u);
  EXPECT_NE(depth[0].find("1 LIVs, the search space's depth is 4"), std::string::npos) << depth[0];
}

TEST(Validity, ClassOutsideTheSpaceIsReportedOnce) {
  // Class 3 exists but this space excludes it: its strategies have no range to be judged by.
  GenomeSpace space{2, {1, 2}, 4};
  const auto v = violations(parse_genome("32222-11111"), space);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("LIV 1, position 1 (class): 3 is not one of the allowed classes 1, 2"), std::string::npos) << v[0];
  EXPECT_FALSE(is_valid(parse_genome("11111-01111"), space));  // 0 is never a group, class or strategy
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
  s = GenomeSpace{};
  s.classes.clear();
  EXPECT_THROW(check_space(s), std::invalid_argument);
  s = GenomeSpace{4, {1, 42}, 4};
  try {
    check_space(s);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("class 42 is not in the LIV class table (known: 1, 2, 3, "), std::string::npos)
        << e.what();
  }
  // The operators refuse a bad space rather than draw from an empty range.
  Rng rng(1);
  s = GenomeSpace{};
  s.classes.clear();
  EXPECT_THROW(sample_genome(s, rng), std::invalid_argument);
  auto g = parse_genome("21211-31112-21221-32112");
  EXPECT_THROW(repair(g, s, rng), std::invalid_argument);
  EXPECT_THROW(mutate(g, s, 0.5, rng), std::invalid_argument);
}

TEST(Sampling, UniformOverEachRange) {
  GenomeSpace space{1, {1, 3}, 3};
  Rng rng(19);
  std::map<int, int> classes, groups, attention_fg_strategies, memoryless_fg_strategies;
  const int draws = 6000;
  for (int i = 0; i < draws; ++i) {
    const auto liv = sample_genome(space, rng).livs[0];
    ++classes[liv.cls];
    ++groups[liv.featurizer_group];
    ++(liv.cls == 3 ? attention_fg_strategies : memoryless_fg_strategies)[liv.feature_group_strategy];
  }
  EXPECT_EQ(classes.size(), 2u);
  for (auto [c, n] : classes) EXPECT_NEAR(n, draws / 2, draws / 20) << "class " << c;
  EXPECT_EQ(groups.size(), 3u);
  for (auto [g, n] : groups) EXPECT_NEAR(n, draws / 3, draws / 20) << "group " << g;
  EXPECT_EQ(attention_fg_strategies.size(), 2u);
  EXPECT_EQ(memoryless_fg_strategies.size(), 1u);  // GMemless has nothing to share
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
// valid genome, and a valid genome passes repair untouched. (tests/model/test_repaired_genomes.cpp
// builds and runs a sample of such genomes.)
TEST(Repair, PropertyOverTwentyThousandRandomOperations) {
  GenomeSpace every_class{8, {}, 3};  // the whole class table: strategy ranges differ by class
  for (const auto& c : liv_classes()) every_class.classes.push_back(c.id);
  auto multi_path = every_class;  // blocks of up to 3 paths, at the full level
  multi_path.max_paths = 3;
  multi_path.routing = true;
  multi_path.level = SearchLevel::full;
  const std::vector<GenomeSpace> spaces = {GenomeSpace{}, GenomeSpace{8, {1, 3}, 3}, GenomeSpace{12, {2, 3}, 6},
                                           every_class, multi_path};
  Rng rng(2024);
  int repaired_positions = 0;
  for (int i = 0; i < 20000; ++i) {
    const auto& space = spaces[i % spaces.size()];
    auto a = sample_genome(space, rng), b = sample_genome(space, rng);
    const int points = uniform_int(rng, 1, genes_per_liv(space) * space.depth - 1);
    auto [c, d] = crossover(a, b, points, rng, genes_per_liv(space));
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

// Multi-path blocks: the sixth character is written only where it is not 1; blocks, their paths
// and mixers are read from it; what breaks the rules is named, and repair fixes it without a draw.
TEST(Blocks, TextRoundTripsAndBlocksAreRead) {
  for (const char* text : {"31111-611112-11111", "31111-611113-211113-11111", "31111-11111"})
    EXPECT_EQ(to_text(parse_genome(text)), text);
  EXPECT_THROW(parse_genome("311111-611112"), GenomeError);  // one text per genome: a 1 is left out
  const auto blocks = blocks_of(parse_genome("31111-611113-211113-11111"));
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].first, 0);
  EXPECT_EQ(blocks[0].paths, 3);
  EXPECT_EQ(blocks[0].mixer, Mixer::token_gates);
  EXPECT_EQ(blocks[1].first, 3);
  EXPECT_EQ(blocks[1].paths, 1);
  EXPECT_EQ(blocks_of(parse_genome("31111-611112"))[0].mixer, Mixer::scalars);
  EXPECT_THROW(parse_genome("3111112-11111"), GenomeError);  // 7 characters
}

TEST(Blocks, ViolationsAreNamedAndRepairFixesThem) {
  GenomeSpace space{4, {1, 2, 3, 6}, 2};
  space.max_paths = 3;
  auto first_joins = parse_genome("311112-11111-21111-11111");
  EXPECT_NE(violations(first_joins, space).front().find("joins a block before the first LIV"), std::string::npos);
  auto four_paths = parse_genome("31111-611112-211112-111112");
  EXPECT_NE(violations(four_paths, space).front().find("a block of 4 paths; [genome] max_paths allows 3"),
            std::string::npos);
  auto two_mixers = parse_genome("31111-611112-211113-11111");
  EXPECT_NE(violations(two_mixers, space).front().find("names another mixer than its block's (2, from LIV 2)"),
            std::string::npos);
  GenomeSpace single = space;
  single.max_paths = 1;
  EXPECT_NE(violations(parse_genome("31111-611112-11111-11111"), single).front().find("position 6 (block): 2 is not one of 1 ([genome] max_paths 1, routing off)"),
            std::string::npos);
  Rng rng(1);
  for (auto* g : {&first_joins, &four_paths, &two_mixers}) {
    EXPECT_GT(repair(*g, space, rng), 0);
    EXPECT_TRUE(is_valid(*g, space)) << to_text(*g);
  }
  EXPECT_EQ(to_text(first_joins), "31111-11111-21111-11111");
  EXPECT_EQ(to_text(four_paths), "31111-611112-211112-11111");
  EXPECT_EQ(to_text(two_mixers), "31111-611112-211112-11111");
}

// A routed block (gene 4) is valid where the space routes, and is a block of its own that later
// LIVs may join.
TEST(Blocks, RoutedBlocksNeedARoutingSpace) {
  GenomeSpace space{3, {1, 2, 3}, 2};
  space.max_paths = 2;
  const auto g = parse_genome("311114-211112-11111");
  EXPECT_NE(violations(g, space).front().find("position 6 (block): 4 is not one of 1, 2, 3 ([genome] max_paths 2, routing off)"),
            std::string::npos);
  space.routing = true;
  EXPECT_TRUE(is_valid(g, space));
  const auto blocks = blocks_of(g);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_TRUE(blocks[0].routed);
  EXPECT_EQ(blocks[0].paths, 2);
  EXPECT_FALSE(blocks[1].routed);
  EXPECT_TRUE(has_routing(g));
  EXPECT_FALSE(has_routing(parse_genome("31111-211112-11111")));
}

// Sampling a space with multi-path blocks gives valid genomes with blocks of 2 and 3 paths and
// both mixers; a space without gives none.
TEST(Blocks, SamplingDrawsBlocksOnlyWhereTheSpaceHasThem) {
  GenomeSpace space{6, {1, 2, 3, 6}, 2};
  Rng rng(3);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(blocks_of(sample_genome(space, rng)).size(), 6u);
  space.max_paths = 3;
  std::map<int, int> paths;
  std::map<Mixer, int> mixers;
  for (int i = 0; i < 200; ++i) {
    const auto g = sample_genome(space, rng);
    ASSERT_TRUE(is_valid(g, space)) << to_text(g);
    for (const auto& b : blocks_of(g)) {
      ++paths[b.paths];
      ++mixers[b.mixer];
    }
  }
  EXPECT_GT(paths[2], 0);
  EXPECT_GT(paths[3], 0);
  EXPECT_GT(mixers[Mixer::scalars], 0);
  EXPECT_GT(mixers[Mixer::token_gates], 0);
}

}  // namespace
