// The genome's text form: round trip, base-36 digits, and errors that say where.
#include <gtest/gtest.h>

#include "genome/genome.hpp"
#include "genome/liv_class.hpp"
#include "genome/sharing.hpp"

namespace {

using namespace star::genome;

std::string error_of(const std::string& text) {
  try {
    parse_genome(text);
  } catch (const GenomeError& e) {
    return e.what();
  }
  return "";
}

TEST(TextForm, PaperExampleRoundTrips) {
  const std::string text = "21211-31112-21221-32112";
  const auto g = parse_genome(text);
  ASSERT_EQ(g.livs.size(), 4u);
  EXPECT_EQ(g.livs[1].cls, 3);
  EXPECT_EQ(g.livs[1].feature_group_strategy, 2);
  EXPECT_EQ(g.livs[2].feature_group, 2);
  EXPECT_EQ(to_text(g), text);
}

TEST(TextForm, Base36DigitsAndUpperCase) {
  const auto g = parse_genome("1a2Z3");
  EXPECT_EQ(g.livs[0].featurizer_group, 10);
  EXPECT_EQ(g.livs[0].feature_group, 35);
  EXPECT_EQ(to_text(g), "1a2z3");
}

TEST(TextForm, ErrorsNameTheLivAndPosition) {
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  auto e = error_of("21211-3#112");
  EXPECT_NE(e.find("LIV 2, position 2"), std::string::npos) << e;
  EXPECT_NE(e.find("'#'"), std::string::npos) << e;
  e = error_of("21211--31112");
  EXPECT_NE(e.find("LIV 2"), std::string::npos) << e;
  e = error_of("2121");
  EXPECT_NE(e.find("LIV 1"), std::string::npos) << e;
  EXPECT_NE(e.find("4 characters"), std::string::npos) << e;
  e = error_of("21211-311123");
  EXPECT_NE(e.find("LIV 2"), std::string::npos) << e;
  EXPECT_NE(error_of("21211-").find("LIV 2"), std::string::npos);
  EXPECT_NE(error_of("21 11").find("position 3"), std::string::npos);
}

TEST(TextForm, FlattenUnflatten) {
  const auto g = parse_genome("21211-31112");
  const auto flat = flatten(g);
  EXPECT_EQ(flat, (std::vector<int>{2, 1, 2, 1, 1, 3, 1, 1, 1, 2}));
  EXPECT_EQ(unflatten(flat), g);
  EXPECT_THROW(unflatten({1, 2, 3}), std::invalid_argument);
}

TEST(ClassTable, KnownAndUnknown) {
  EXPECT_STREQ(liv_class(3).short_name, "SA-1");
  EXPECT_EQ(find_liv_class(99), nullptr);
  try {
    liv_class(99);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("SA-1"), std::string::npos);
  }
}

TEST(Sharing, PaperExampleOwners) {
  const auto g = parse_genome("21211-31112-21221-32112");
  EXPECT_EQ(featurizer_owner(g), (std::vector<int>{0, 1, 0, 3}));
  EXPECT_EQ(feature_group_owner(g), (std::vector<int>{0, 1, 2, 1}));
}

TEST(Sharing, OnlySameClassGroupAndStrategyShare) {
  // LIVs 1 and 2: same group and strategy 2 but different classes; LIV 3 strategy 1.
  const auto g = parse_genome("21211-11211-21111-21211");
  EXPECT_EQ(featurizer_owner(g), (std::vector<int>{0, 1, 2, 0}));
}

}  // namespace
