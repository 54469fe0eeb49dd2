// NSGA-II's parts on hand-made populations with known fronts and distances.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "evolve/crowding_distance.hpp"
#include "evolve/nondominated_sort.hpp"
#include "evolve/survival.hpp"
#include "evolve/tournament.hpp"

namespace {

using namespace star::evolve;
const double kInf = std::numeric_limits<double>::infinity();

std::vector<bool> all_feasible(size_t n) { return std::vector<bool>(n, true); }

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
  const std::vector<bool> feasible = {false, true, true, false};
  const auto fronts = nondominated_sort(f, feasible);
  ASSERT_EQ(fronts.size(), 4u);
  EXPECT_EQ(fronts[0], (std::vector<int>{1}));
  EXPECT_EQ(fronts[1], (std::vector<int>{2}));
  EXPECT_EQ(fronts[2], (std::vector<int>{0}));
  EXPECT_EQ(fronts[3], (std::vector<int>{3}));
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
  ObjectiveMatrix f = {{1, 7}, {2, 7}, {3, 7}, {4, 7}};
  const auto d = crowding_distance(f, {0, 1, 2, 3});
  EXPECT_NEAR(d[1], 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(d[2], 2.0 / 3.0, 1e-12);
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
