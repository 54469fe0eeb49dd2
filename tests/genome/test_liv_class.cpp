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
