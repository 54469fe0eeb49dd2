// The hurdles' bookkeeping (core/hurdles.hpp): where a hurdle falls, and the board rank 0 keeps
// of the points genomes had there, and where a suite's hurdles fall.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/hurdles.hpp"

namespace star::train {
namespace {

TEST(Hurdles, StepFallsInsideTheTrainingOrNowhere) {
  EXPECT_EQ(hurdle_step(0.25, 400), 100);
  EXPECT_EQ(hurdle_step(0.5, 7), 4);   // 3.5 steps: held once 4 have trained
  EXPECT_EQ(hurdle_step(0.25, 1), 0);  // one step: no step before it, none after
  EXPECT_EQ(hurdle_step(0.01, 20), 1);
  EXPECT_EQ(hurdle_step(0.99, 20), 0);  // 19.8: it would fall on the last step's end
  EXPECT_EQ(hurdle_window(400), 12);
  EXPECT_EQ(hurdle_window(20), 1);
}

EvalResult reached(std::vector<double> losses, int64_t parameters) {
  EvalResult r;
  r.hurdle_losses = std::move(losses);
  r.parameters = parameters;
  return r;
}

HurdlePointOf loss_and_parameters() {
  return [](const EvalResult& r, double loss) { return HurdlePoint{loss, static_cast<double>(r.parameters)}; };
}

// A genome stopped at the first hurdle counts there and not at the second; a non-finite loss (a
// diverged step) is not counted.
TEST(Hurdles, BoardKeepsThePointsOfWhatReachedEachHurdle) {
  HurdleBoard board({{0.25, 50}, {0.5, 50}}, loss_and_parameters());
  EXPECT_EQ(board.points(), (HurdlePoints{{}, {}}));
  board.record(reached({3.0, 2.0}, 10));
  board.record(reached({5.0}, 20));
  board.record(reached({NAN}, 30));
  EXPECT_EQ(board.points(), (HurdlePoints{{{3.0, 10.0}, {5.0, 20.0}}, {{2.0, 10.0}}}));
}

// With a handout, a genome takes what it returns for each hurdle point (at that hurdle's
// percentile), recomputed only for points recorded to since.
TEST(Hurdles, BoardHandsOutWhatItsHandoutKeeps) {
  int calls = 0;
  const HurdleHandout best = [&calls](const std::vector<HurdlePoint>& reached, double) {
    ++calls;  // the lowest loss alone
    std::vector<HurdlePoint> out;
    if (!reached.empty()) out.push_back({(*std::min_element(reached.begin(), reached.end()))[0]});
    return out;
  };
  HurdleBoard board({{0.25, 10}, {0.5, 90}}, loss_and_parameters(), best);
  EXPECT_EQ(board.handout(), (HurdlePoints{{}, {}}));
  board.record(reached({3.0, 2.0}, 10));
  board.record(reached({5.0}, 20));
  EXPECT_EQ(board.handout(), (HurdlePoints{{{3.0}}, {{2.0}}}));
  calls = 0;
  board.record(reached({1.0}, 30));  // the first hurdle only
  EXPECT_EQ(board.handout(), (HurdlePoints{{{1.0}}, {{2.0}}}));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(board.points()[0].size(), 3u);  // the board keeps every point
}

// A suite's hurdles are fractions of the whole budget: each falls once, in the task it reaches.
TEST(Hurdles, SuiteHurdlesFallOnceInTheTaskTheBudgetReaches) {
  const std::vector<Hurdle> hurdles{{0.125, 50}, {0.25, 40}, {0.5, 30}};
  const auto where = [&](size_t tasks, size_t task) {
    std::vector<std::pair<size_t, double>> out;
    for (const auto& h : task_hurdles(hurdles, tasks, task)) out.emplace_back(h.index, h.fraction);
    return out;
  };
  using Placed = std::vector<std::pair<size_t, double>>;
  EXPECT_EQ(where(1, 0), (Placed{{0, 0.125}, {1, 0.25}, {2, 0.5}}));  // one task: where they say
  EXPECT_EQ(where(3, 0), (Placed{{0, 0.375}, {1, 0.75}}));
  EXPECT_EQ(where(3, 1), (Placed{{2, 0.5}}));
  EXPECT_EQ(where(3, 2), Placed{});
  EXPECT_EQ(where(2, 0), (Placed{{0, 0.25}, {1, 0.5}, {2, 1.0}}));  // 0.5 of two tasks: the first one's end
  EXPECT_EQ(where(2, 1), Placed{});
  EXPECT_EQ(task_hurdles({{0.7, 50}}, 10, 6).size(), 1u);  // 7.000000000000001 tasks: still the seventh's end
  EXPECT_EQ(hurdle_step(1.0, 150), 149);  // a task's end: held before its last step
  EXPECT_EQ(hurdle_step(1.0, 1), 0);
}

// A board holds one list of points per hurdle; a record with more losses than hurdles (a suite
// run's, from before each hurdle fell once) is left out whole.
TEST(Hurdles, BoardLeavesOutRecordsOfTheOlderSuiteLayout) {
  HurdleBoard board({{0.25, 50}, {0.5, 50}}, loss_and_parameters());
  board.record(reached({1.0, 2.0, 3.0, 4.0}, 7));
  EXPECT_EQ(board.points(), (HurdlePoints{{}, {}}));
  board.record(reached({1.0, 2.0}, 7));
  EXPECT_EQ(board.points(), (HurdlePoints{{{1.0, 7.0}}, {{2.0, 7.0}}}));
}

}  // namespace
}  // namespace star::train
