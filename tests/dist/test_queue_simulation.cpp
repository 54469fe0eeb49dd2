// Dispatch order and the queue simulator (no MPI): longest first never loses to in-order on the
// classic bad case, and the simulator agrees with hand-computed schedules.
#include <gtest/gtest.h>

#include "dist/dispatch_order.hpp"
#include "dist/queue_simulation.hpp"

namespace {

using namespace star::dist;

TEST(DispatchOrder, LongestFirstIsStableAndInOrderIsIdentity) {
  const std::vector<double> costs = {1, 5, 3, 5, 2};
  EXPECT_EQ(dispatch_order(costs, DispatchPolicy::longest_first), (std::vector<int>{1, 3, 2, 4, 0}));
  EXPECT_EQ(dispatch_order(costs, DispatchPolicy::in_order), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(dispatch_order({}, DispatchPolicy::longest_first).empty());
}

TEST(QueueSimulation, HandComputedSchedules) {
  // Two groups, in order: both take a 1, g0 a third 1, g1 the 10 at time 1 (ends 11): the long
  // genome starts late. Longest first: 10 on one group, the three 1s on the other.
  const std::vector<double> costs = {1, 1, 1, 10};
  const auto in_order = simulate_generation(costs, 2, DispatchPolicy::in_order);
  const auto lpt = simulate_generation(costs, 2, DispatchPolicy::longest_first);
  EXPECT_DOUBLE_EQ(in_order.makespan, 11.0);
  EXPECT_DOUBLE_EQ(lpt.makespan, 10.0);
  EXPECT_DOUBLE_EQ(lpt.busy, 13.0);
  EXPECT_DOUBLE_EQ(lpt.idle_fraction, 1.0 - 13.0 / 20.0);
  // One group: the sum, whatever the order, and no idle time.
  const auto one = simulate_generation(costs, 1, DispatchPolicy::longest_first);
  EXPECT_DOUBLE_EQ(one.makespan, 13.0);
  EXPECT_DOUBLE_EQ(one.idle_fraction, 0.0);
}

TEST(QueueSimulation, MoreGroupsThanGenomesAndBadInput) {
  const auto sim = simulate_generation({4, 2}, 1024, DispatchPolicy::longest_first);
  EXPECT_DOUBLE_EQ(sim.makespan, 4.0);
  EXPECT_NEAR(sim.idle_fraction, 1.0 - 6.0 / (1024 * 4.0), 1e-12);
  EXPECT_DOUBLE_EQ(simulate_generation({}, 3, DispatchPolicy::in_order).makespan, 0.0);
  EXPECT_THROW(simulate_generation({1}, 0, DispatchPolicy::in_order), std::invalid_argument);
}

TEST(QueueSimulation, LongestFirstWithinFourThirdsOfTheLowerBound) {
  // Graham's bound for LPT: makespan <= (4/3 - 1/(3G)) x optimum, and optimum >= max(mean load, longest).
  std::vector<double> costs;
  for (int i = 0; i < 40; ++i) costs.push_back(1.0 + (i * 37 % 17));
  for (int groups : {2, 3, 8}) {
    double total = 0, longest = 0;
    for (double c : costs) total += c, longest = std::max(longest, c);
    const double bound = std::max(total / groups, longest);
    EXPECT_LE(simulate_generation(costs, groups, DispatchPolicy::longest_first).makespan, 4.0 / 3.0 * bound + 1e-9);
  }
}

}  // namespace
