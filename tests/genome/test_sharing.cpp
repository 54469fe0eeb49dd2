// Which LIV owns the featurizer and feature-group weights another LIV uses.
#include <gtest/gtest.h>

#include "genome/genome.hpp"
#include "genome/sharing.hpp"

namespace {

using namespace star::genome;

TEST(Sharing, PaperExampleOwners) {
  const auto g = parse_genome("21211-31112-21221-32112");
  EXPECT_EQ(featurizer_owner(g), (std::vector<int>{0, 1, 0, 3}));
  EXPECT_EQ(feature_group_owner(g), (std::vector<int>{0, 1, 2, 1}));
}

TEST(Sharing, OnlySameClassGroupAndStrategyShare) {
  // LIVs 1 and 2: same group and strategy 2 but different classes; LIV 3 strategy 1.
  const auto g = parse_genome("21211-11211-21111-21211");
  EXPECT_EQ(featurizer_owner(g), (std::vector<int>{0, 1, 2, 0}));
  // Same class and group but a different feature-group group: no sharing.
  const auto h = parse_genome("31112-31122-31112");
  EXPECT_EQ(feature_group_owner(h), (std::vector<int>{0, 1, 0}));
}

TEST(Sharing, OwnerIsAlwaysTheFirstOfItsSet) {
  const auto g = parse_genome("32222-32222-32222-12211-12211");
  EXPECT_EQ(featurizer_owner(g), (std::vector<int>{0, 0, 0, 3, 3}));
  EXPECT_EQ(feature_group_owner(g), (std::vector<int>{0, 0, 0, 3, 4}));
  EXPECT_TRUE(featurizer_owner(Genome{}).empty());
}

}  // namespace
