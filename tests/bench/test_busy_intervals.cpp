#include "bench/busy_intervals.hpp"

#include <gtest/gtest.h>

namespace star::bench {
namespace {

TEST(BusyIntervals, OverlappingAndAdjacentIntervalsCountOnce) {
  // Two processes' kernels overlapping (10-30 and 20-40), one adjacent (40-45), one apart, one empty.
  const auto merged = merge_intervals({{60, 70}, {20, 40}, {10, 30}, {40, 45}, {50, 50}});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].start_ns, 10);
  EXPECT_EQ(merged[0].end_ns, 45);
  EXPECT_EQ(merged[1].start_ns, 60);
  EXPECT_EQ(merged[1].end_ns, 70);
  EXPECT_EQ(covered_ns(merged, 0, 100), 45);
}

TEST(BusyIntervals, CoverageIsClippedToTheWindow) {
  const auto merged = merge_intervals({{10, 45}, {60, 70}});
  EXPECT_EQ(covered_ns(merged, 40, 65), 5 + 5);
  EXPECT_EQ(covered_ns(merged, 45, 60), 0);
  EXPECT_EQ(covered_ns(merged, 100, 200), 0);
}

TEST(BusyIntervals, FlattenRoundTripsAndRefusesAnOddCount) {
  const std::vector<BusyInterval> intervals{{1, 2}, {5, 9}};
  const auto back = unflatten(flatten(intervals));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].start_ns, 5);
  EXPECT_EQ(back[1].end_ns, 9);
  EXPECT_THROW(unflatten({1, 2, 3}), std::invalid_argument);
}

}  // namespace
}  // namespace star::bench
