// The operator and featurizer genomes: presets, text form, validity rules with their messages,
// and the property evolution relies on at the full search level: whatever sampling, mutation
// and crossover make of the three levels, repair returns a valid genome.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "genome/genome.hpp"
#include "genome/liv_class.hpp"
#include "genome/operator_genome.hpp"
#include "genome/repair.hpp"
#include "genome/sampling.hpp"
#include "genome/validity.hpp"
#include "genome/variation.hpp"

namespace {

using namespace star::genome;

bool mentions(const std::vector<std::string>& problems, const std::string& part) {
  for (const auto& p : problems)
    if (p.find(part) != std::string::npos) return true;
  return false;
}

TEST(OperatorGenome, EveryPresetIsValidAndComputesItsClassFamily) {
  for (const auto& c : liv_classes()) {
    const auto spec = preset_operator(c.id);
    EXPECT_TRUE(operator_violations(spec, c.id).empty()) << c.short_name;
    EXPECT_EQ(family_of(spec.op), c.family) << c.short_name;
  }
  // SA-3 differs from SA-1 only in its featurizer genome: keys and values repeated 4 times.
  auto sa1 = preset_operator(3), sa3 = preset_operator(5);
  EXPECT_EQ(sa1.op, sa3.op);
  EXPECT_EQ(sa3.groups[1].repeat, 4);
  EXPECT_EQ(sa3.groups[2].repeat, 4);
  EXPECT_EQ(operator_text(sa1), "11123:1111.1111.1111");
}

TEST(OperatorGenome, TextRoundTripsAndDropsPresets) {
  const std::string text = "31111-11111-31111;1=15162:1121.1121;3=11223:1111.1114.1114";
  const auto g = parse_genome(text);
  EXPECT_EQ(g.operators.size(), 2u);
  EXPECT_EQ(to_text(g), text);
  EXPECT_EQ(operator_for(g, 3).op.sparsity, kBanded);
  EXPECT_EQ(operator_for(g, 3).groups[1].repeat, 4);
  // An entry equal to its preset is the same architecture as no entry: one text.
  EXPECT_EQ(to_text(parse_genome("31111-11111;3=11123:1111.1111.1111")), "31111-11111");
  EXPECT_EQ(parse_genome("31111-11111;3=11123:1111.1111.1111"), parse_genome("31111-11111"));
}

TEST(OperatorGenome, MalformedEntriesNameTheirProblem) {
  auto message = [](const std::string& text) {
    try {
      parse_genome(text);
    } catch (const GenomeError& e) {
      return std::string(e.what());
    }
    return std::string("parsed");
  };
  EXPECT_NE(message("31111;5=11123:1111.1111.1111").find("no LIV uses"), std::string::npos);
  EXPECT_NE(message("31111;3=1112:1111").find("expected 5"), std::string::npos);
  EXPECT_NE(message("31111;3=11123").find("no featurizer genes"), std::string::npos);
  EXPECT_NE(message("31111;3=11123:111.1111.1111").find("feature group 1"), std::string::npos);
  EXPECT_NE(message("31111;3=11123:1111.1111.11!1").find("not a digit"), std::string::npos);
  EXPECT_NE(message("31111;3").find("is not <class>="), std::string::npos);
  EXPECT_NE(message("31111;3=11223:1111.1111.1111;3=11323:1111.1111.1111").find("given twice"), std::string::npos);
}

TEST(OperatorGenome, ValidityNamesEveryBrokenRule) {
  GenomeSpace space;
  space.depth = 2;
  space.classes = {1, 2, 3};
  auto problems = [&](const std::string& text) { return violations(parse_genome(text), space); };
  EXPECT_TRUE(problems("31111-11111;3=11223:1111.1114.1114").empty());
  EXPECT_TRUE(mentions(problems("31111-11111;3=14123:1111.1111.1111"), "not a pair any LIV family computes"));
  // Class 3 lets later LIVs reuse its keys and values; a memoryless operator has none.
  EXPECT_TRUE(mentions(problems("31111-11111;3=15142:1111.1111"), "feature groups later LIVs can reuse"));
  EXPECT_TRUE(mentions(problems("31111-11111;3=11213:1111.1111.1111"), "position 4 (nonlinearity)"));
  EXPECT_TRUE(mentions(problems("31111-11111;1=15132:1111.1111"), "position 4 (nonlinearity)"));
  EXPECT_TRUE(mentions(problems("31111-11111;1=15142:1111"), "1 featurizer genes, this family has 2"));
  EXPECT_TRUE(mentions(problems("31111-11111;1=15142:1121.1111"), "must equal feature group 1"));
  EXPECT_TRUE(mentions(problems("31111-11111;3=11123:1111.1121.1121"), "position 3 (expansion)"));
  EXPECT_TRUE(mentions(problems("31111-11111;3=11123:1111.1113.1113"), "position 4 (repeat)"));
  EXPECT_TRUE(problems("31111-11111;3=11123:1211.1211.1211").empty());
  EXPECT_TRUE(mentions(problems("31111-11111;3=11123:1111.1212.1212"), "needs repeat 1"));
  EXPECT_TRUE(mentions(problems("31111-11111;1=15142:1211.1211"), "position 2 (featurizer channel mixing)"));
  // Class 1 may become any family without shareable feature groups: here a gated short convolution.
  EXPECT_TRUE(problems("31111-11111;1=24211:1111.1111.1111").empty());
}

// 20,000 operations at the full level over every class: each child repaired is valid, and the
// lower levels really vary (many distinct operators, every family reached).
TEST(OperatorGenome, RepairMakesEveryChildValidAtTheFullLevel) {
  GenomeSpace space;
  space.depth = 6;
  space.classes.clear();
  for (const auto& c : liv_classes()) space.classes.push_back(c.id);
  space.max_group = 2;
  space.level = SearchLevel::full;
  Rng rng(7);
  std::set<std::string> operators;
  std::set<int> families;
  for (int i = 0; i < 20000; ++i) {
    const auto a = sample_genome(space, rng), b = sample_genome(space, rng);
    ASSERT_TRUE(is_valid(a, space)) << to_text(a);
    auto [child, other] = crossover(a, b, uniform_int(rng, 1, 5 * space.depth - 1), rng);
    mutate(child, space, uniform_real(rng), rng);
    // Damage the lower level directly too: any value at any position.
    if (!child.operators.empty() && i % 3 == 0) {
      auto& spec = child.operators.begin()->second;
      operator_position(spec.op, uniform_int(rng, 0, kOperatorGenes - 1)) = uniform_int(rng, 0, 35);
      if (!spec.groups.empty()) featurizer_position(spec.groups[0], uniform_int(rng, 0, 3)) = uniform_int(rng, 0, 35);
      if (i % 2 == 0) spec.groups.pop_back();
    }
    repair(child, space, rng);
    repair(other, space, rng);
    ASSERT_TRUE(is_valid(child, space)) << to_text(child) << ": " << violations(child, space).front();
    ASSERT_TRUE(is_valid(other, space)) << to_text(other);
    ASSERT_EQ(parse_genome(to_text(child)), child) << to_text(child);
    for (const auto& [cls, spec] : child.operators) {
      operators.insert(operator_text(spec));
      families.insert(static_cast<int>(family_of(spec.op)));
    }
  }
  // The lower levels hold 41 operators today (attention 18, memoryless 12, ...): nearly all reached.
  EXPECT_GE(operators.size(), 40u);
  EXPECT_EQ(families.size(), 7u) << "every family reached through the lower levels";
}

TEST(OperatorGenome, BackboneLevelLeavesOperatorsAlone) {
  GenomeSpace space;
  space.depth = 4;
  space.classes = {1, 2, 3};
  Rng rng(3);
  auto seeded = parse_genome("31111-11111-31111-11111;3=11223:1111.1111.1111");
  for (int i = 0; i < 200; ++i) {
    EXPECT_TRUE(sample_genome(space, rng).operators.empty());
    auto g = seeded;
    mutate(g, space, 1.0, rng);  // every backbone position redrawn; class 3's entry stays if 3 is used
    if (uses_class(g, 3)) {
      EXPECT_EQ(operator_for(g, 3), seeded.operators.at(3));
    }
  }
}

}  // namespace
