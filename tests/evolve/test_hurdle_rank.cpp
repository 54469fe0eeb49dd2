// The verdict at a hurdle (evolve/hurdle_rank.hpp): with one objective, a loss above the given
// share of the losses before it; with two, a place among NSGA-II's fronts, so a small genome
// that trails large ones on loss alone is not stopped.
#include <gtest/gtest.h>

#include <cstdio>

#include "evolve/hurdle_rank.hpp"
#include "genome/random.hpp"

namespace star::evolve {
namespace {

TEST(HurdleRank, OneObjectiveIsTheShareOfLowerLosses) {
  const ObjectiveMatrix losses = {{1.0}, {2.0}, {3.0}, {4.0}};
  EXPECT_FALSE(behind_hurdle({}, {9.0}, 50));        // the first genome meets nobody
  EXPECT_FALSE(behind_hurdle(losses, {2.5}, 50));    // 2 of 4 ahead: not more than half
  EXPECT_TRUE(behind_hurdle(losses, {3.5}, 50));     // 3 of 4 ahead
  EXPECT_FALSE(behind_hurdle(losses, {3.0}, 50));    // an equal loss is not ahead
  EXPECT_TRUE(behind_hurdle(losses, {1.5}, 0));      // percentile 0: any genome ahead stops it
  EXPECT_FALSE(behind_hurdle(losses, {1.0}, 0));
  EXPECT_FALSE(behind_hurdle(losses, {99.0}, 100));  // percentile 100: nothing stops
  EXPECT_TRUE(behind_hurdle({{1.0}}, {2.0}, 50));
}

// Loss and parameters: large genomes reached low losses; a small genome with a higher loss than
// all of them is on the first front with them and goes on; a large one behind them stops.
TEST(HurdleRank, TwoObjectivesKeepTheSmallEndOfTheFront) {
  const ObjectiveMatrix reached = {{1.0, 1000}, {1.2, 900}, {1.4, 800}, {1.5, 1000}, {1.6, 950}};
  EXPECT_FALSE(behind_hurdle(reached, {2.5, 100}, 50));  // dominated by none: front 0
  EXPECT_TRUE(behind_hurdle(reached, {1.7, 1000}, 50));   // behind fronts 0 and 1: all 5 ahead
  // Dominated only by {1.4, 800}: front 1, behind front 0's three genomes (more than half).
  EXPECT_TRUE(behind_hurdle(reached, {1.45, 850}, 50));
  EXPECT_FALSE(behind_hurdle(reached, {1.45, 850}, 60));  // 3 of 5 is not more than 60%
}

// Rank 0 hands out one front per hurdle instead of every point: the verdict is the same for any
// set of points, any percentile and any genome (ties and repeated points included: the values
// are drawn from a few levels).
TEST(HurdleRank, DecidingFrontGivesTheSameVerdictAsEveryPoint) {
  genome::Rng rng(7);
  for (int objectives : {1, 2, 3})
    for (int n : {0, 1, 2, 7, 40, 300})
      for (double percentile : {0.0, 25.0, 50.0, 90.0, 100.0}) {
        auto draw = [&] {
          std::vector<double> row;
          for (int m = 0; m < objectives; ++m) row.push_back(static_cast<double>(genome::uniform_int(rng, 0, 9)));
          return row;
        };
        ObjectiveMatrix reached;
        for (int i = 0; i < n; ++i) reached.push_back(draw());
        const auto front = deciding_front(reached, percentile);
        EXPECT_LE(front.size(), reached.size());
        for (int q = 0; q < 50; ++q) {
          const auto point = draw();
          EXPECT_EQ(dominated_by_any(front, point), behind_hurdle(reached, point, percentile))
              << objectives << " objectives, " << n << " points, percentile " << percentile;
        }
      }
}

// What a hand-out carries at a search's scale: 5,000 genomes of two or three objectives.
TEST(HurdleRank, DecidingFrontIsASmallShareOfALargeRun) {
  genome::Rng rng(3);
  for (int objectives : {2, 3}) {
    ObjectiveMatrix reached;
    for (int i = 0; i < 5000; ++i) {
      std::vector<double> row;
      for (int m = 0; m < objectives; ++m) row.push_back(genome::uniform_real(rng));
      reached.push_back(row);
    }
    const auto front = deciding_front(reached, 50);
    std::printf("%d objectives, 5000 points, percentile 50: the deciding front has %zu\n", objectives, front.size());
    EXPECT_GT(front.size(), 0u);
    EXPECT_LT(front.size(), 5000u / 10);
  }
}

}  // namespace
}  // namespace star::evolve
