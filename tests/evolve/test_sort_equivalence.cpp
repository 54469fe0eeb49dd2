// The sweep sort against Deb's quadratic one: exactly the same fronts, in the same order, on
// random populations full of ties, equal points and shared violation levels; and the amount of
// violation ordering infeasible individuals.
#include <gtest/gtest.h>

#include <limits>

#include "evolve/nondominated_sort.hpp"
#include "genome/random.hpp"

namespace {

using namespace star::evolve;
using star::genome::uniform_int;
using star::genome::uniform_real;
const double kInf = std::numeric_limits<double>::infinity();

struct Population {
  ObjectiveMatrix f;
  Violations violation;
};

// Objectives from `values` distinct integers (few values: many ties and whole duplicate rows);
// a fifth of the population infeasible at one of three levels, one of them a failed training.
Population random_population(star::genome::Rng& rng, int n, int m, int values) {
  Population p;
  const double levels[] = {0.25, 2.0, kInf};
  for (int i = 0; i < n; ++i) {
    std::vector<double> row(m);
    for (auto& v : row) v = uniform_int(rng, 0, values - 1);
    // Some rows copy an earlier one exactly, some negative zeros that equal zero.
    if (i > 0 && uniform_real(rng) < 0.15) row = p.f[uniform_int(rng, 0, i - 1)];
    for (auto& v : row)
      if (v == 0 && uniform_real(rng) < 0.5) v = -0.0;
    p.f.push_back(row);
    p.violation.push_back(uniform_real(rng) < 0.2 ? levels[uniform_int(rng, 0, 2)] : 0.0);
  }
  return p;
}

TEST(SweepSort, SameFrontsAsQuadraticWithTies) {
  star::genome::Rng rng(2024);
  for (int trial = 0; trial < 600; ++trial) {
    const int n = uniform_int(rng, 0, 120), m = uniform_int(rng, 1, 3), values = uniform_int(rng, 1, 8);
    const auto p = random_population(rng, n, m, values);
    ASSERT_EQ(nondominated_sort(p.f, p.violation), nondominated_sort_quadratic(p.f, p.violation))
        << "trial " << trial << ": " << n << " individuals, " << m << " objectives, " << values << " values";
  }
}

TEST(SweepSort, SameFrontsAsQuadraticOnContinuousValues) {
  star::genome::Rng rng(7);
  for (int m = 1; m <= 4; ++m) {
    ObjectiveMatrix f(1500, std::vector<double>(m));
    for (auto& row : f)
      for (auto& v : row) v = uniform_real(rng);
    const Violations none(f.size(), 0.0);
    EXPECT_EQ(nondominated_sort(f, none), nondominated_sort_quadratic(f, none)) << m << " objectives";
  }
}

TEST(SweepSort, ManyFrontsOnALine) {
  // Every point dominates the next (one objective, or a diagonal): N fronts of one.
  ObjectiveMatrix line, diagonal;
  for (int i = 0; i < 300; ++i) {
    line.push_back({double(299 - i)});
    diagonal.push_back({double(i), double(i), double(i)});
  }
  const auto a = nondominated_sort(line, Violations(300, 0.0));
  ASSERT_EQ(a.size(), 300u);
  EXPECT_EQ(a[0], (std::vector<int>{299}));
  EXPECT_EQ(nondominated_sort(diagonal, Violations(300, 0.0)), nondominated_sort_quadratic(diagonal, Violations(300, 0.0)));
}

TEST(ConstrainedSort, SmallerViolationRanksFirstWhateverTheObjectives) {
  // 0 and 4 feasible; 1 and 3 over a budget by 0.5; 2 by 0.1; 5 a failed training.
  ObjectiveMatrix f = {{5, 5}, {0, 0}, {9, 9}, {1, 2}, {6, 4}, {-1, -1}};
  const Violations v = {0, 0.5, 0.1, 0.5, 0, kInf};
  const auto fronts = nondominated_sort(f, v);
  ASSERT_EQ(fronts.size(), 5u);
  EXPECT_EQ(fronts[0], (std::vector<int>{0, 4}));
  EXPECT_EQ(fronts[1], (std::vector<int>{2}));
  EXPECT_EQ(fronts[2], (std::vector<int>{1}));  // equal violation: (0,0) dominates (1,2)
  EXPECT_EQ(fronts[3], (std::vector<int>{3}));
  EXPECT_EQ(fronts[4], (std::vector<int>{5}));
  EXPECT_EQ(fronts, nondominated_sort_quadratic(f, v));
  EXPECT_TRUE(constrained_dominates(f, v, 2, 1));
  EXPECT_FALSE(constrained_dominates(f, v, 1, 2));
}

}  // namespace
