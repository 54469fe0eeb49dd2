// The verdict at a hurdle (evolve/hurdle_rank.hpp): with one objective, a loss above the given
// share of the losses before it; with two, a place among NSGA-II's fronts, so a small genome
// that trails large ones on loss alone is not stopped.
#include <gtest/gtest.h>

#include "evolve/hurdle_rank.hpp"

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

}  // namespace
}  // namespace star::evolve
