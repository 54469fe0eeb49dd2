// Dispatch order and the queue simulator (no MPI): longest first never loses to in-order on the
// classic bad case, the simulator agrees with hand-computed schedules, and a steady-state run
// (no generation barrier, optionally wide candidates on several groups) idles less.
#include <gtest/gtest.h>

#include <random>

#include "cluster/dispatch_order.hpp"
#include "cluster/queue_simulation.hpp"

namespace {

using namespace star::cluster;

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

TEST(QueueSimulation, SteadyStateHasNoBarrier) {
  // Two generations {1, 10} and {1, 1} on 2 groups: generational waits for the 10 (10 + 1); steady-state
  // runs the second generation's genomes beside it on the other group (ends at 10).
  const double generational = simulate_generation({1, 10}, 2, DispatchPolicy::in_order).makespan +
                              simulate_generation({1, 1}, 2, DispatchPolicy::in_order).makespan;
  const auto steady = simulate_steady_state({1, 10, 1, 1}, 2);
  EXPECT_DOUBLE_EQ(generational, 11.0);
  EXPECT_DOUBLE_EQ(steady.makespan, 10.0);
  EXPECT_DOUBLE_EQ(steady.busy, 13.0);
  EXPECT_DOUBLE_EQ(steady.idle_fraction, 1.0 - 13.0 / 20.0);
}

TEST(QueueSimulation, AWideCandidateRunsOnSeveralGroups) {
  // Median 1, wide above 2: the 8 takes min(4, ceil(8 / 2)) = 4 groups once the four 1s are done
  // (at 1) and ends at 1 + 8 / 4; alone on one group it would end at 9.
  const std::vector<double> costs = {1, 1, 1, 1, 8};
  const auto wide = simulate_steady_state(costs, 4, 2.0);
  EXPECT_DOUBLE_EQ(wide.makespan, 3.0);
  EXPECT_DOUBLE_EQ(wide.busy, 12.0);
  EXPECT_DOUBLE_EQ(wide.idle_fraction, 0.0);
  EXPECT_DOUBLE_EQ(simulate_steady_state(costs, 4).makespan, 9.0);
  // A wide candidate waits for its groups: on 2 groups, the 8 takes both after the 1s (at 2).
  EXPECT_DOUBLE_EQ(simulate_steady_state(costs, 2, 2.0).makespan, 2.0 + 8.0 / 2);
  EXPECT_THROW(simulate_steady_state(costs, 0), std::invalid_argument);
  EXPECT_THROW(simulate_steady_state(costs, 2, -1.0), std::invalid_argument);
}

TEST(QueueSimulation, SteadyStateIdlesLessThanGenerationalAtScale) {
  // 20 generations of 8 genomes per group, log-normal costs (sigma 1): the barrier leaves groups
  // idle waiting for each generation's slowest; a steady-state run only at its very end.
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> cost(0.0, 1.0);
  for (int groups : {8, 64}) {
    double generational_makespan = 0, busy = 0;
    std::vector<double> stream;
    for (int g = 0; g < 20; ++g) {
      std::vector<double> costs(8 * groups);
      for (auto& c : costs) c = cost(rng), busy += c;
      generational_makespan += simulate_generation(costs, groups, DispatchPolicy::longest_first).makespan;
      stream.insert(stream.end(), costs.begin(), costs.end());
    }
    const auto steady = simulate_steady_state(stream, groups);
    EXPECT_DOUBLE_EQ(steady.busy, busy);
    EXPECT_LT(steady.makespan, generational_makespan) << groups;
    EXPECT_LT(steady.idle_fraction, 0.10) << groups;
    EXPECT_GT(1.0 - busy / (groups * generational_makespan), 0.05) << groups;
  }
}

}  // namespace
