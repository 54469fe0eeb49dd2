// NSGA-II's parts on hand-made populations with known fronts and distances.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "evolve/crowding_distance.hpp"
#include "evolve/nondominated_sort.hpp"
#include "evolve/survival.hpp"
#include "evolve/tournament.hpp"

namespace {

using namespace star::evolve;
const double kInf = std::numeric_limits<double>::infinity();

Violations all_feasible(size_t n) { return Violations(n, 0.0); }

TEST(Domination, Definition) {
  EXPECT_TRUE(dominates({1, 2}, {2, 2}));
  EXPECT_FALSE(dominates({1, 2}, {1, 2}));
  EXPECT_FALSE(dominates({1, 3}, {2, 2}));
}

TEST(NondominatedSort, ThreeKnownFronts) {
  // Front 0: (1,4) (2,2) (4,1); front 1: (2,5) (3,3) (5,2); front 2: (6,6).
  ObjectiveMatrix f = {{3, 3}, {1, 4}, {6, 6}, {2, 2}, {5, 2}, {4, 1}, {2, 5}};
  const auto fronts = nondominated_sort(f, all_feasible(f.size()));
  ASSERT_EQ(fronts.size(), 3u);
  EXPECT_EQ(std::set<int>(fronts[0].begin(), fronts[0].end()), (std::set<int>{1, 3, 5}));
  EXPECT_EQ(std::set<int>(fronts[1].begin(), fronts[1].end()), (std::set<int>{0, 4, 6}));
  EXPECT_EQ(fronts[2], (std::vector<int>{2}));
}

TEST(NondominatedSort, ThreeObjectives) {
  ObjectiveMatrix f = {{1, 2, 3}, {3, 2, 1}, {2, 2, 2}, {2, 3, 4}, {4, 4, 4}};
  const auto fronts = nondominated_sort(f, all_feasible(f.size()));
  ASSERT_EQ(fronts.size(), 3u);
  EXPECT_EQ(std::set<int>(fronts[0].begin(), fronts[0].end()), (std::set<int>{0, 1, 2}));
  EXPECT_EQ(fronts[1], (std::vector<int>{3}));
  EXPECT_EQ(fronts[2], (std::vector<int>{4}));
}

TEST(NondominatedSort, InfeasibleRankBehindEveryFeasible) {
  ObjectiveMatrix f = {{0, 0}, {5, 5}, {9, 9}, {1, 1}};
  const auto fronts = nondominated_sort(f, violations_of({false, true, true, false}));
  ASSERT_EQ(fronts.size(), 4u);
  EXPECT_EQ(fronts[0], (std::vector<int>{1}));
  EXPECT_EQ(fronts[1], (std::vector<int>{2}));
  EXPECT_EQ(fronts[2], (std::vector<int>{0}));
  EXPECT_EQ(fronts[3], (std::vector<int>{3}));
}

TEST(NondominatedSort, RejectsMismatchedInput) {
  EXPECT_THROW(nondominated_sort({{1, 2}, {3, 4}}, {0.0}), std::invalid_argument);
  EXPECT_THROW(nondominated_sort({{1, 2}, {3}}, {0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(nondominated_sort({{1, 2}, {3, 4}}, {0.0, -1.0}), std::invalid_argument);
  EXPECT_THROW(nondominated_sort({{1, 2}, {3, std::nan("")}}, {0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(nondominated_sort_quadratic({{1, 2}, {3, 4}}, {0.0, std::nan("")}), std::invalid_argument);
  EXPECT_TRUE(nondominated_sort({}, {}).empty());
}

TEST(NondominatedSort, EqualPointsShareAFront) {
  ObjectiveMatrix f = {{1, 1}, {1, 1}, {2, 2}};
  const auto fronts = nondominated_sort(f, all_feasible(f.size()));
  ASSERT_EQ(fronts.size(), 2u);
  EXPECT_EQ(fronts[0], (std::vector<int>{0, 1}));
}

// Random populations with many ties (small integer objectives), 1 to 4 objectives, some
// infeasible: the fronts partition the population, nobody is dominated by a member of its own
// front or a later one, and everybody after the first front is dominated by a member of the
// front just before (constrained domination throughout).
TEST(NondominatedSort, PropertiesOnRandomPopulations) {
  star::genome::Rng rng(99);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = star::genome::uniform_int(rng, 1, 60), m = star::genome::uniform_int(rng, 1, 4);
    ObjectiveMatrix f(n, std::vector<double>(m));
    std::vector<bool> feasible(n);
    for (int i = 0; i < n; ++i) {
      for (auto& v : f[i]) v = star::genome::uniform_int(rng, 0, 5);
      feasible[i] = star::genome::uniform_real(rng) < 0.8;
    }
    auto beats = [&](int a, int b) { return feasible[a] != feasible[b] ? bool(feasible[a]) : dominates(f[a], f[b]); };
    const auto fronts = nondominated_sort(f, violations_of(feasible));
    std::vector<int> rank(n, -1);
    for (size_t k = 0; k < fronts.size(); ++k) {
      ASSERT_FALSE(fronts[k].empty());
      for (int i : fronts[k]) {
        ASSERT_EQ(rank[i], -1) << "individual " << i << " in two fronts";
        rank[i] = static_cast<int>(k);
      }
    }
    for (int i = 0; i < n; ++i) ASSERT_NE(rank[i], -1) << "individual " << i << " in no front";
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        ASSERT_TRUE(!beats(a, b) || rank[a] < rank[b]) << a << " beats " << b << " but is not in an earlier front";
    for (size_t k = 1; k < fronts.size(); ++k)
      for (int i : fronts[k]) {
        bool dominated = false;
        for (int j : fronts[k - 1]) dominated = dominated || beats(j, i);
        ASSERT_TRUE(dominated) << "front " << k << " member " << i << " not dominated by front " << k - 1;
      }
  }
}

TEST(CrowdingDistance, HandChecked) {
  // Front along f1 + f2 = 10: (0,10) (2,8) (5,5) (9,1) (10,0). Ranges 10 and 10.
  ObjectiveMatrix f = {{5, 5}, {0, 10}, {10, 0}, {2, 8}, {9, 1}};
  const std::vector<int> front = {0, 1, 2, 3, 4};
  const auto d = crowding_distance(f, front);
  EXPECT_EQ(d[1], kInf);
  EXPECT_EQ(d[2], kInf);
  EXPECT_NEAR(d[3], (5 - 0) / 10.0 + (10 - 5) / 10.0, 1e-12);  // neighbours (0,10) and (5,5)
  EXPECT_NEAR(d[0], (9 - 2) / 10.0 + (8 - 1) / 10.0, 1e-12);
  EXPECT_NEAR(d[4], (10 - 5) / 10.0 + (5 - 0) / 10.0, 1e-12);
  EXPECT_EQ(crowding_distance(f, {0, 1}), (std::vector<double>{kInf, kInf}));
}

TEST(CrowdingDistance, FlatObjectiveContributesNothing) {
  // Objective 2 is 7 everywhere: no range, so neither gaps nor infinite boundaries from it. Member
  // 0 is not an extreme of objective 1 (though it is first by index among the tied 7s).
  ObjectiveMatrix f = {{2, 7}, {1, 7}, {3, 7}, {4, 7}};
  const auto d = crowding_distance(f, {0, 1, 2, 3});
  EXPECT_NEAR(d[0], 2.0 / 3.0, 1e-12);
  EXPECT_EQ(d[1], kInf);
  EXPECT_NEAR(d[2], 2.0 / 3.0, 1e-12);
  EXPECT_EQ(d[3], kInf);
  // Identical members (more than two): nothing to spread, all 0.
  ObjectiveMatrix same = {{1, 1}, {1, 1}, {1, 1}};
  EXPECT_EQ(crowding_distance(same, {0, 1, 2}), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(crowding_distance(f, {2}), (std::vector<double>{kInf}));
  EXPECT_TRUE(crowding_distance(f, {}).empty());
}

TEST(CrowdingDistance, OrderFollowsTheFrontNotTheIndices) {
  ObjectiveMatrix f = {{0, 10}, {2, 8}, {5, 5}, {9, 1}, {10, 0}};
  const auto d = crowding_distance(f, {2, 4, 0, 3, 1});
  EXPECT_NEAR(d[0], 1.4, 1e-12);  // (5,5): neighbours (2,8) and (9,1)
  EXPECT_EQ(d[1], kInf);
  EXPECT_EQ(d[2], kInf);
  EXPECT_NEAR(d[3], 1.0, 1e-12);  // (9,1): neighbours (5,5) and (10,0)
  EXPECT_NEAR(d[4], 1.0, 1e-12);  // (2,8): neighbours (0,10) and (5,5)
}

TEST(Survival, WholeFrontsThenByCrowding) {
  ObjectiveMatrix f = {{3, 3}, {1, 4}, {6, 6}, {2, 2}, {5, 2}, {4, 1}, {2, 5}};
  auto keep = nsga2_survival(f, all_feasible(f.size()), 5);
  ASSERT_EQ(keep.size(), 5u);
  std::set<int> kept(keep.begin(), keep.end());
  for (int i : {1, 3, 5}) EXPECT_TRUE(kept.count(i)) << "front 0 member " << i << " dropped";
  EXPECT_FALSE(kept.count(2));
  // From front 1 {0, 4, 6} two survive: the boundary points (2,5) and (5,2), not the middle (3,3).
  EXPECT_TRUE(kept.count(4));
  EXPECT_TRUE(kept.count(6));
  EXPECT_EQ(nsga2_survival(f, all_feasible(f.size()), 100).size(), f.size());
}

TEST(Survival, InfeasibleGoLast) {
  // The infeasible ones have the best objectives but survive only when the feasible run out.
  ObjectiveMatrix f = {{0, 0}, {5, 5}, {9, 9}, {1, 1}, {7, 3}};
  const auto feasible = violations_of({false, true, true, false, true});
  auto keep = nsga2_survival(f, feasible, 3);
  EXPECT_EQ(std::set<int>(keep.begin(), keep.end()), (std::set<int>{1, 2, 4}));
  keep = nsga2_survival(f, feasible, 4);
  EXPECT_EQ(keep.back(), 0);  // best of the infeasible
}

TEST(Survival, ReturnedBestFirst) {
  ObjectiveMatrix f = {{3, 3}, {1, 4}, {6, 6}, {2, 2}, {5, 2}, {4, 1}, {2, 5}};
  const auto r = rank_population(f, all_feasible(f.size()));
  const auto keep = nsga2_survival(f, all_feasible(f.size()), 7);
  for (size_t i = 1; i < keep.size(); ++i) EXPECT_FALSE(crowded_less(r, keep[i], keep[i - 1]));
  // Front 0 is (1,4) (2,2) (4,1): both extremes infinite, the middle finite, so index order 1, 5, then 3.
  EXPECT_EQ((std::vector<int>(keep.begin(), keep.begin() + 3)), (std::vector<int>{1, 5, 3}));
  EXPECT_EQ(keep.back(), 2);
  EXPECT_TRUE(nsga2_survival(f, all_feasible(f.size()), 0).empty());
}

// Elitism on random populations: survivors are whole fronts in order and then the most spread
// part of the front that does not fit; in particular the first front is kept whenever it fits.
TEST(Survival, ElitismOnRandomPopulations) {
  star::genome::Rng rng(4);
  for (int trial = 0; trial < 300; ++trial) {
    const int size = star::genome::uniform_int(rng, 2, 80), m = star::genome::uniform_int(rng, 2, 3);
    ObjectiveMatrix f(size, std::vector<double>(m));
    for (auto& row : f)
      for (auto& v : row) v = star::genome::uniform_real(rng);
    const int n = star::genome::uniform_int(rng, 1, size);
    const auto r = rank_population(f, all_feasible(f.size()));
    const auto keep = nsga2_survival(f, all_feasible(f.size()), n);
    ASSERT_EQ(static_cast<int>(keep.size()), n);
    std::vector<bool> kept(size, false);
    for (int i : keep) kept[i] = true;
    const int last_rank = r.front_rank[keep.back()];
    for (int i = 0; i < size; ++i) {
      ASSERT_TRUE(r.front_rank[i] >= last_rank || kept[i]) << "a member of a better front was dropped";
      ASSERT_TRUE(r.front_rank[i] <= last_rank || !kept[i]) << "a member of a worse front survived";
      if (r.front_rank[i] != last_rank || kept[i]) continue;
      for (int j : keep)
        ASSERT_TRUE(r.front_rank[j] != last_rank || r.crowding[j] >= r.crowding[i]) << "a more crowded member survived";
    }
  }
}

TEST(Tournament, RejectsBadArguments) {
  const auto r = rank_population({{1, 2}, {2, 1}}, all_feasible(2));
  star::genome::Rng rng(1);
  EXPECT_THROW(tournament(r, 0, rng), std::invalid_argument);
  EXPECT_THROW(tournament(Ranking{}, 2, rng), std::invalid_argument);
  EXPECT_EQ(tournament(rank_population({{3, 3}}, all_feasible(1)), 1, rng), 0);
}

TEST(Tournament, WholePopulationTournamentFindsTheBest) {
  ObjectiveMatrix f = {{3, 3}, {1, 4}, {6, 6}, {2, 2}};
  const auto r = rank_population(f, all_feasible(f.size()));
  star::genome::Rng rng(1);
  for (int i = 0; i < 50; ++i) {
    const int w = tournament(r, 64, rng);
    EXPECT_EQ(r.front_rank[w], 0);
  }
  // Binary tournaments favour the first front.
  int first_front = 0;
  for (int i = 0; i < 4000; ++i) first_front += r.front_rank[tournament(r, 2, rng)] == 0;
  EXPECT_GT(first_front, 4000 * 0.6);
}

}  // namespace
