// A suite's result from its tasks' results: means of the scores, sums of the work, the first
// task's model metrics, the first failure.
#include <gtest/gtest.h>

#include "train/suite_result.hpp"

namespace {

using namespace star::train;

EvalResult result(double loss, double accuracy, int64_t tokens, double seconds, std::vector<double> curve) {
  EvalResult r;
  r.status = EvalStatus::ok;
  r.loss = loss;
  r.accuracy = accuracy;
  r.tokens = tokens;
  r.seconds = seconds;
  r.tokens_per_second = static_cast<double>(tokens) / seconds;
  r.loss_curve = std::move(curve);
  return r;
}

TEST(SuiteResult, MeansOfScoresSumsOfWorkAndTheFirstTasksModel) {
  auto a = result(1.0, 0.5, 1000, 2.0, {3.0, 2.0, 1.0});
  a.parameters = 100;
  a.cache_bytes = 64;
  a.peak_memory_bytes = 5;
  auto b = result(2.0, 1.0, 3000, 4.0, {5.0, 4.0});  // fewer steps than curve points
  b.parameters = 200;                                // a larger vocabulary: more embedding rows
  b.cache_bytes = 64;
  b.peak_memory_bytes = 9;
  const auto r = combine_task_results({"in_context_recall", "memorization"}, {a, b});
  EXPECT_EQ(r.status, EvalStatus::ok);
  EXPECT_TRUE(r.message.empty());
  EXPECT_DOUBLE_EQ(r.loss, 1.5);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.75);
  EXPECT_EQ(r.tokens, 4000);
  EXPECT_DOUBLE_EQ(r.seconds, 6.0);
  EXPECT_DOUBLE_EQ(r.tokens_per_second, 4000 / 6.0);
  EXPECT_EQ(r.parameters, 100);
  EXPECT_EQ(r.cache_bytes, 64);
  EXPECT_EQ(r.peak_memory_bytes, 9);
  EXPECT_EQ(r.loss_curve, (std::vector<double>{4.0, 3.0, 1.0}));
}

TEST(SuiteResult, TheFirstTaskNotOkGivesTheStatusAndIsNamed) {
  auto ok = result(1.0, 0.5, 1000, 2.0, {1.0});
  auto diverged = result(0.0, 0.0, 0, 0.5, {});
  diverged.status = EvalStatus::diverged;
  diverged.message = "training loss nan at step 3";
  const auto r = combine_task_results({"in_context_recall", "memorization", "compression"}, {ok, diverged});
  EXPECT_EQ(r.status, EvalStatus::diverged);
  EXPECT_EQ(r.message, "memorization: training loss nan at step 3");
  EXPECT_FALSE(r.feasible());
  EXPECT_EQ(r.tokens, 1000);
  auto oom = ok;
  oom.status = EvalStatus::oom;
  EXPECT_EQ(combine_task_results({"compression"}, {oom}).message, "compression");
  // Stopped at 3/4 of the first task of three: a quarter of the suite's budget trained.
  auto stopped = ok;
  stopped.status = EvalStatus::stopped;
  stopped.fidelity = 0.75;
  const auto early = combine_task_results({"in_context_recall", "memorization", "compression"}, {stopped});
  EXPECT_EQ(early.fidelity, 0.25);
  EXPECT_EQ(early.loss, stopped.loss);  // the loss: the mean over the tasks trained
  EXPECT_THROW(combine_task_results({"compression"}, {}), std::invalid_argument);
  EXPECT_THROW(combine_task_results({"compression"}, {ok, ok}), std::invalid_argument);
}

}  // namespace
