// The genome's text form: round trip, base-36 digits, and errors that say where.
#include <gtest/gtest.h>

#include "genome/genome.hpp"

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
  EXPECT_NE(e.find("genome \"21211-3#112\": LIV 2, position 2: '#' is not a digit"), std::string::npos) << e;
  e = error_of("21_11");  // ('x' would be a digit: 33)
  EXPECT_NE(e.find("genome \"21_11\": LIV 1, position 3: '_' is not a digit"), std::string::npos) << e;
  e = error_of("21211--31112");
  EXPECT_NE(e.find("LIV 2 (character 7) is empty"), std::string::npos) << e;
  e = error_of("2121");
  EXPECT_NE(e.find("LIV 1 (characters 1-4)"), std::string::npos) << e;
  EXPECT_NE(e.find("4 characters, expected 5"), std::string::npos) << e;
  e = error_of("21211-3111232");  // 6 is the block gene's length; 7 is too long
  EXPECT_NE(e.find("LIV 2 (characters 7-13)"), std::string::npos) << e;
  EXPECT_NE(e.find("7 characters, expected 5"), std::string::npos) << e;
  EXPECT_NE(error_of("21211-").find("LIV 2 (character 7) is empty"), std::string::npos);
  EXPECT_NE(error_of("-21211").find("LIV 1 (character 1) is empty"), std::string::npos);
  EXPECT_NE(error_of("21 11").find("LIV 1, position 3: ' '"), std::string::npos);
  EXPECT_NE(error_of("21211-2121\xe9").find("LIV 2, position 5"), std::string::npos);  // a non-ASCII byte
}

TEST(TextForm, ValuesWithoutADigitAreNotPrinted) {
  // 36 would have to print as something that does not parse back; to_text refuses instead.
  auto g = parse_genome("21211-31112");
  g.livs[1].feature_group = 36;
  try {
    to_text(g);
    FAIL() << "printed a value of 36";
  } catch (const GenomeError& e) {
    EXPECT_NE(std::string(e.what()).find("LIV 2, position 4: 36"), std::string::npos) << e.what();
  }
  g.livs[1].feature_group = -1;
  EXPECT_THROW(to_text(g), GenomeError);
  EXPECT_EQ(to_text(Genome{}), "");
}

TEST(TextForm, EveryDigitRoundTrips) {
  const std::string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (size_t i = 0; i + 5 <= digits.size(); ++i) {
    const std::string text = digits.substr(i, 5);
    const auto g = parse_genome(text);
    EXPECT_EQ(g.livs[0].cls, static_cast<int>(i));
    EXPECT_EQ(to_text(g), text);
  }
}

TEST(TextForm, FlattenUnflatten) {
  const auto g = parse_genome("21211-31112");
  const auto flat = flatten(g);
  EXPECT_EQ(flat, (std::vector<int>{2, 1, 2, 1, 1, 3, 1, 1, 1, 2}));
  EXPECT_EQ(unflatten(flat), g);
  EXPECT_THROW(unflatten({1, 2, 3}), std::invalid_argument);
}

// The grammar is exact: an operator entry list ends in an entry, never in ';'; a class number is
// reported as written, never wrapped; and no message quotes more than 80 characters of its input.
TEST(TextForm, ExactGrammarAndShortQuotes) {
  EXPECT_NE(error_of("11111-21111;").find("empty operator entry"), std::string::npos) << error_of("11111-21111;");
  EXPECT_NE(error_of("11111;;").find("empty operator entry"), std::string::npos);
  const std::string huge_class = "18446744073709551617";
  const std::string e = error_of("11111;" + huge_class + "=11111:1111");
  EXPECT_NE(e.find("'" + huge_class + "'"), std::string::npos) << e;
  EXPECT_EQ(e.find("class 1742781899"), std::string::npos) << e;
  const std::string long_genome(1 << 20, '1');
  const std::string quoted = error_of(long_genome);
  ASSERT_FALSE(quoted.empty());
  EXPECT_LT(quoted.size(), 400u) << quoted.substr(0, 400);
  EXPECT_NE(quoted.find("(1048576 characters)"), std::string::npos) << quoted;
  EXPECT_EQ(error_of("11111-2\n111").find('\n'), std::string::npos);  // one line
}

}  // namespace
