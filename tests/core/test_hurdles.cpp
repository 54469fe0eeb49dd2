// The hurdles' arithmetic (core/hurdles.hpp): where a hurdle falls, the percentile (numpy's
// linear interpolation), and the board rank 0 keeps of the losses there, task by task.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/hurdles.hpp"

namespace star::train {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Hurdles, StepFallsInsideTheTrainingOrNowhere) {
  EXPECT_EQ(hurdle_step(0.25, 400), 100);
  EXPECT_EQ(hurdle_step(0.5, 7), 4);   // 3.5 steps: held once 4 have trained
  EXPECT_EQ(hurdle_step(0.25, 1), 0);  // one step: no step before it, none after
  EXPECT_EQ(hurdle_step(0.01, 20), 1);
  EXPECT_EQ(hurdle_step(0.99, 20), 0);  // 19.8: it would fall on the last step's end
  EXPECT_EQ(hurdle_window(400), 12);
  EXPECT_EQ(hurdle_window(20), 1);
}

TEST(Hurdles, PercentileInterpolatesAsNumpy) {
  EXPECT_EQ(percentile({}, 50), kInf);
  EXPECT_EQ(percentile({3.0}, 50), 3.0);
  EXPECT_EQ(percentile({4.0, 1.0, 3.0, 2.0}, 50), 2.5);  // numpy.percentile([1,2,3,4], 50)
  EXPECT_DOUBLE_EQ(percentile({1.0, 2.0, 3.0, 4.0}, 25), 1.75);
  EXPECT_EQ(percentile({1.0, 2.0, 3.0, 4.0}, 0), 1.0);
  EXPECT_EQ(percentile({1.0, 2.0, 3.0, 4.0}, 100), 4.0);
}

EvalResult reached(std::vector<double> losses) {
  EvalResult r;
  r.hurdle_losses = std::move(losses);
  return r;
}

// No threshold until a genome reached the point; a genome stopped at the first hurdle counts
// there and not at the second; a non-finite loss (a diverged step) is not counted.
TEST(Hurdles, BoardThresholdsArePercentilesOfWhatReachedEachPoint) {
  HurdleBoard board({{0.25, 50}, {0.5, 0}}, 1);
  EXPECT_EQ(board.thresholds(), (std::vector<double>{kInf, kInf}));
  board.record(reached({3.0, 2.0}));
  board.record(reached({5.0}));
  board.record(reached({4.0, 1.5}));
  board.record(reached({NAN}));
  EXPECT_EQ(board.thresholds(), (std::vector<double>{4.0, 1.5}));
}

// A suite of two tasks: four points, task by task; a genome's thresholds on its second task are
// the last two.
TEST(Hurdles, SuitePointsGoTaskByTask) {
  HurdleBoard board({{0.25, 100}, {0.5, 100}}, 2);
  board.record(reached({1.0, 2.0, 3.0, 4.0}));
  board.record(reached({5.0, 1.0, 2.0}));
  const auto t = board.thresholds();
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t, (std::vector<double>{5.0, 2.0, 3.0, 4.0}));
  EXPECT_EQ(task_thresholds(t, 2, 1), (std::vector<double>{3.0, 4.0}));
  EXPECT_EQ(task_thresholds({}, 2, 1), (std::vector<double>{kInf, kInf}));
}

}  // namespace
}  // namespace star::train
