// The LIV class table: lookups, and the table's own consistency (ids must be printable).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "genome/liv_class.hpp"

namespace {

using namespace star::genome;

TEST(ClassTable, KnownAndUnknown) {
  EXPECT_STREQ(liv_class(3).short_name, "SA-1");
  EXPECT_EQ(liv_class(3).family, Family::attention);
  EXPECT_EQ(liv_class(3).feature_group_strategies, 2);
  EXPECT_EQ(liv_class(1).feature_group_strategies, 1);
  EXPECT_EQ(find_liv_class(99), nullptr);
  try {
    liv_class(99);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("SA-1"), std::string::npos);
  }
}

// Existing genomes and results name classes 1-3: their rows must not change.
TEST(ClassTable, FirstThreeClassesKeepTheirMeaning) {
  EXPECT_STREQ(liv_class(1).short_name, "GMemless");
  EXPECT_STREQ(liv_class(2).short_name, "GConv-1");
  EXPECT_STREQ(liv_class(3).short_name, "SA-1");
  EXPECT_EQ(liv_class(1).family, Family::memoryless);
  EXPECT_EQ(liv_class(2).family, Family::convolution);
  for (int id : {1, 2, 3}) {
    EXPECT_EQ(liv_class(id).featurizer_strategies, 2);
    EXPECT_EQ(liv_class(id).differential_of, 0);
  }
  EXPECT_EQ(liv_class(2).feature_group_strategies, 1);
}

TEST(ClassTable, TheFullSearchSpaceIsListed) {
  std::set<std::string> names;
  for (const auto& c : liv_classes()) names.insert(c.short_name);
  for (const char* name : {"SA-1", "SA-2", "SA-3", "Rec-1", "Rec-2", "GConv-1", "GConv-2", "GMemless", "GMemless-2",
                           "S4-1", "S4-2", "S4-Diff", "SA-1-Diff", "SA-2-Diff", "SA-3-Diff", "Rec-1-Diff",
                           "Rec-2-Diff", "GConv-1-Diff", "GConv-2-Diff", "S4-Monarch"})
    EXPECT_EQ(names.count(name), 1u) << name;
}

// A differential class doubles a plain class of its own family and shares as that class does.
TEST(ClassTable, DifferentialClassesNameTheirBase) {
  int differential = 0;
  for (const auto& c : liv_classes()) {
    if (c.differential_of == 0) continue;
    ++differential;
    const auto* base = find_liv_class(c.differential_of);
    ASSERT_NE(base, nullptr) << c.short_name;
    EXPECT_EQ(base->differential_of, 0) << c.short_name;
    EXPECT_EQ(base->family, c.family) << c.short_name;
    EXPECT_EQ(base->featurizer_strategies, c.featurizer_strategies) << c.short_name;
    EXPECT_EQ(base->feature_group_strategies, c.feature_group_strategies) << c.short_name;
  }
  EXPECT_EQ(differential, 8);
}

TEST(ClassTable, RowsAreConsistent) {
  std::set<int> ids;
  for (const auto& c : liv_classes()) {
    EXPECT_TRUE(ids.insert(c.id).second) << "class id " << c.id << " listed twice";
    EXPECT_GE(c.id, 0);
    EXPECT_LE(c.id, 35) << "class id " << c.id << " has no base-36 digit";
    EXPECT_GE(c.featurizer_strategies, 1) << c.short_name;
    EXPECT_LE(c.featurizer_strategies, 35) << c.short_name;
    EXPECT_GE(c.feature_group_strategies, 1) << c.short_name;
    EXPECT_LE(c.feature_group_strategies, 35) << c.short_name;
    EXPECT_EQ(find_liv_class(c.id), &c);
  }
}

}  // namespace
