// Under mpirun with 2, 3 and 4 ranks: rank groups, the dynamic work queue (every item exactly
// once, results back on rank 0), the genome broadcast and gathering, and gradient sums inside a
// group. main() is mpi_main.cpp's.
#include <gtest/gtest.h>
#include <mpi.h>

#include <atomic>
#include <csignal>
#include <set>

#include "cluster/broadcast.hpp"
#include "cluster/eval_result_codec.hpp"
#include "cluster/make_gradient_reducer.hpp"
#include "cluster/mpi_gradient_reducer.hpp"
#include "cluster/mpi_world.hpp"
#include "cluster/stop_request.hpp"
#include "cluster/work_queue.hpp"
#include "../support/every_field.hpp"

namespace {

using namespace star;

// Which items each rank evaluated, gathered on every rank.
std::vector<int> gather_counts(const std::vector<int>& mine, int n) {
  std::vector<int> counts(n, 0);
  for (int i : mine) counts[i] += 1;
  MPI_Allreduce(MPI_IN_PLACE, counts.data(), n, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  return counts;
}

class WorkQueue : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(WorkQueue, EveryItemOnceByEveryRankOfOneGroup) {
  const auto [ranks_per_group, n] = GetParam();
  auto groups = cluster::split_into_groups(ranks_per_group);
  std::vector<int> mine;
  auto results = cluster::evaluate_all(groups, n, [&](const cluster::Work& w) {
    const int item = w.id;
    mine.push_back(item);
    // Every rank of the group must see the same item.
    int lo = item, hi = item;
    MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_INT, MPI_MIN, groups.group_comm);
    MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_INT, MPI_MAX, groups.group_comm);
    EXPECT_EQ(lo, hi);
    train::EvalResult r;
    r.status = train::EvalStatus::ok;
    r.loss = item * 0.5;
    r.parameters = 1000 + item;
    r.message = "group " + std::to_string(groups.group);
    return r;
  });
  // Each group took each item at most once; over all ranks an item was evaluated group_size times.
  const auto counts = gather_counts(mine, n);
  for (int i = 0; i < n; ++i) EXPECT_GE(counts[i], 1) << "item " << i;
  int total = 0;
  for (int c : counts) total += c;
  if (groups.world_rank == 0) {
    ASSERT_EQ(static_cast<int>(results.size()), n);
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(results[i].loss, i * 0.5);
      EXPECT_EQ(results[i].parameters, 1000 + i);
    }
  } else {
    EXPECT_TRUE(results.empty());
  }
  // Exactly once per group: total evaluations = sum over items of the size of the group that took it.
  std::vector<int> per_item_group(n, -1);
  for (int i : mine) per_item_group[i] = groups.group;
  MPI_Allreduce(MPI_IN_PLACE, per_item_group.data(), n, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  int expected = 0;
  for (int i = 0; i < n; ++i) {
    const int g = per_item_group[i];
    expected += std::min(groups.ranks_per_group, groups.world_size - groups.leader_of(g));
  }
  EXPECT_EQ(total, expected);
  cluster::free_groups(groups);
}

INSTANTIATE_TEST_SUITE_P(Sizes, WorkQueue,
                         ::testing::Combine(::testing::Values(1, 2, 3), ::testing::Values(0, 1, 2, 7, 40)));

TEST(Groups, SplitCoversTheWorldWithASmallerLastGroup) {
  auto groups = cluster::split_into_groups(2);
  EXPECT_EQ(groups.group, groups.world_rank / 2);
  EXPECT_EQ(groups.group_count, (groups.world_size + 1) / 2);
  EXPECT_EQ(groups.group_rank, groups.world_rank % 2);
  const int expected_size = std::min(2, groups.world_size - groups.leader_of(groups.group));
  EXPECT_EQ(groups.group_size, expected_size);
  cluster::free_groups(groups);
  EXPECT_THROW(cluster::split_into_groups(0), std::invalid_argument);
}

TEST(Broadcast, StringsReachEveryRank) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::vector<std::string> values;
  if (rank == 0) values = {"21211-31112", "", "11111"};
  cluster::broadcast_strings(values, MPI_COMM_WORLD);
  EXPECT_EQ(values, (std::vector<std::string>{"21211-31112", "", "11111"}));
}

TEST(Allgather, EveryRanksStringInRankOrder) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  // Strings of different lengths ("a", "ccc", "dddd"); rank 1's is empty and keeps its place.
  auto text = [](int r) { return r == 1 ? std::string() : std::string(r + 1, static_cast<char>('a' + r)); };
  const auto values = cluster::allgather_strings(text(rank), MPI_COMM_WORLD);
  ASSERT_EQ(static_cast<int>(values.size()), size);
  for (int r = 0; r < size; ++r) EXPECT_EQ(values[r], text(r));
}

TEST(Allgather, KeysAreDistinctOnlyWhenNoneIsSharedOrEmpty) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  EXPECT_TRUE(cluster::keys_all_distinct("node/" + std::to_string(rank), MPI_COMM_WORLD));
  // Two ranks on one GPU: every rank hears of it, not only the two.
  EXPECT_FALSE(cluster::keys_all_distinct("node/" + std::to_string(rank == 1 ? 0 : rank), MPI_COMM_WORLD));
  EXPECT_FALSE(cluster::keys_all_distinct(rank == 1 ? "" : "node/" + std::to_string(rank), MPI_COMM_WORLD));
}

// On the CPU every group of several ranks sums through MPI; a rank alone needs no reducer.
TEST(GradientReducer, FactoryGivesMpiToGroupsAndNothingToARankAlone) {
  auto groups = cluster::split_into_groups(2);
  auto reducer = cluster::make_gradient_reducer(groups.group_comm, groups.group_size, torch::kCPU);
  if (groups.group_size == 1)
    EXPECT_EQ(reducer, nullptr);
  else
    EXPECT_NE(dynamic_cast<cluster::MpiGradientReducer*>(reducer.get()), nullptr);
  cluster::free_groups(groups);
}

TEST(GradientReducer, SumsOverTheGroup) {
  auto groups = cluster::split_into_groups(2);
  cluster::MpiGradientReducer reducer(groups.group_comm);
  std::vector<torch::Tensor> grads = {torch::full({2, 3}, static_cast<float>(groups.group_rank + 1)),
                                      torch::full({4}, 10.0f)};
  reducer.sum(grads);
  const int n = groups.group_size;
  EXPECT_TRUE(torch::allclose(grads[0], torch::full({2, 3}, static_cast<float>(n * (n + 1) / 2))));
  EXPECT_TRUE(torch::allclose(grads[1], torch::full({4}, 10.0f * n)));
  EXPECT_EQ(reducer.sum(1.5), 1.5 * n);
  cluster::free_groups(groups);
}

TEST(Codec, RoundTrip) {
  const auto r = star::test::every_field_set();
  train::EvalResult back;
  EXPECT_EQ(cluster::decode(cluster::encode(17, r), back), 17);
  star::test::expect_same_fields(back, r);
  EXPECT_THROW(cluster::decode("abc", back), std::runtime_error);
  const auto whole = cluster::encode(17, r);
  for (size_t cut : {size_t{5}, whole.size() / 2, whole.size() - 1})
    EXPECT_THROW(cluster::decode(whole.substr(0, cut), back), std::runtime_error) << cut;
  EXPECT_THROW(cluster::decode(whole + "x", back), std::runtime_error);
}

// A signal on the last rank only: rank 0 hears of it and every rank learns to stop.
TEST(StopCoordinator, ASignalOnOneRankStopsEveryRank) {
  cluster::install_stop_signal_handlers();
  cluster::StopCoordinator stop(MPI_COMM_WORLD);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  EXPECT_FALSE(stop.poll());
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == size - 1) std::raise(SIGUSR1);
  bool stopped = false;
  for (int i = 0; i < 100000 && !stopped; ++i) stopped = stop.poll();
  EXPECT_TRUE(stopped);
  EXPECT_TRUE(stop.finish());
  cluster::reset_stop_signal();
}

TEST(StopCoordinator, NoSignalNoStop) {
  cluster::StopCoordinator stop(MPI_COMM_WORLD);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(stop.poll());
  EXPECT_FALSE(stop.finish());
}

// Once rank 0's stop check says so, no item is handed out; those never started come back
// `interrupted`, the finished ones keep their results.
TEST(WorkQueueStop, ItemsNotStartedAreInterrupted) {
  auto groups = cluster::split_into_groups(1);
  const int n = 12;
  std::atomic<int> handed{0};
  auto results = cluster::evaluate_all(
      groups, n,
      [&](const cluster::Work& w) {
        train::EvalResult r;
        r.status = train::EvalStatus::ok;
        r.loss = w.id;
        return r;
      },
      [&] { return handed.fetch_add(1) >= 4; });  // rank 0 only: stop after 4 hand-outs
  if (groups.world_rank == 0) {
    ASSERT_EQ(static_cast<int>(results.size()), n);
    int finished = 0;
    for (int i = 0; i < n; ++i) {
      if (results[i].status == train::EvalStatus::ok) {
        EXPECT_EQ(results[i].loss, i);
        ++finished;
      } else {
        EXPECT_EQ(results[i].status, train::EvalStatus::interrupted);
      }
    }
    EXPECT_GE(finished, 1);
    EXPECT_LT(finished, n);
  }
  cluster::free_groups(groups);
}

}  // namespace
