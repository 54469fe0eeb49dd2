// The in-context recall generator and the learning-rate schedule.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "train/in_context_recall.hpp"
#include "train/lr_schedule.hpp"

namespace {

using namespace star::train;

TaskConfig task(int64_t vocab = 16, int64_t seq = 32) {
  TaskConfig c;
  c.vocab_size = vocab;
  c.seq_len = seq;
  return c;
}

TEST(InContextRecall, KeysAndValuesAlternateFromDisjointHalves) {
  auto d = make_in_context_recall(task(), 50, 7);
  auto x = d.inputs.accessor<int64_t, 2>();
  for (int64_t n = 0; n < 50; ++n)
    for (int64_t t = 0; t < 32; ++t) {
      if (t % 2 == 0) {
        EXPECT_LT(x[n][t], 8);
      } else {
        EXPECT_GE(x[n][t], 8);
      }
    }
}

TEST(InContextRecall, TargetsAreTheValuesOfRepeatedKeysOnly) {
  auto d = make_in_context_recall(task(), 50, 7);
  auto x = d.inputs.accessor<int64_t, 2>();
  auto y = d.targets.accessor<int64_t, 2>();
  int64_t scored = 0;
  for (int64_t n = 0; n < 50; ++n) {
    std::map<int64_t, int64_t> value_of;  // what the sequence has shown so far
    for (int64_t t = 0; t < 32; ++t) {
      if (t % 2 == 1) continue;
      const int64_t key = x[n][t];
      if (value_of.count(key)) {
        EXPECT_EQ(y[n][t], value_of[key]) << "sequence " << n << " position " << t;
        ++scored;
      } else {
        EXPECT_EQ(y[n][t], kIgnoreTarget);
      }
      if (t + 1 < 32) {
        if (value_of.count(key)) {
          EXPECT_EQ(x[n][t + 1], value_of[key]) << "one mapping per sequence";
        }
        value_of[key] = x[n][t + 1];
      }
    }
  }
  EXPECT_GT(scored, 50 * 4);
}

TEST(InContextRecall, HandCheckedExample) {
  // A 6-token sequence: keys at 0, 2, 4. Where key(4) == key(0), target(4) = value(1).
  auto d = make_in_context_recall(task(4, 6), 200, 3);
  auto x = d.inputs.accessor<int64_t, 2>();
  auto y = d.targets.accessor<int64_t, 2>();
  for (int64_t n = 0; n < 200; ++n) {
    if (x[n][4] == x[n][0]) {
      EXPECT_EQ(y[n][4], x[n][1]);
    }
    if (x[n][2] == x[n][0]) {
      EXPECT_EQ(y[n][2], x[n][1]);
    }
    EXPECT_EQ(y[n][0], kIgnoreTarget);
    EXPECT_EQ(y[n][1], kIgnoreTarget);
  }
}

TEST(InContextRecall, SameSeedSameData) {
  auto a = make_in_context_recall(task(), 20, 11), b = make_in_context_recall(task(), 20, 11),
       c = make_in_context_recall(task(), 20, 12);
  EXPECT_TRUE(torch::equal(a.inputs, b.inputs));
  EXPECT_TRUE(torch::equal(a.targets, b.targets));
  EXPECT_FALSE(torch::equal(a.inputs, c.inputs));
}

TEST(InContextRecall, TrainAndTestDiffer) {
  auto data = make_task(task());
  EXPECT_FALSE(torch::equal(data.train.inputs.narrow(0, 0, 10), data.test.inputs.narrow(0, 0, 10)));
  TaskConfig bad = task();
  bad.kind = "nope";
  EXPECT_THROW(make_task(bad), std::invalid_argument);
}

TEST(LearningRate, WarmsUpLinearlyThenDecaysByCosine) {
  const double peak = 1e-3;
  EXPECT_NEAR(scheduled_learning_rate(0, 100, peak, 0.1, 0.1), peak / 10, 1e-12);
  EXPECT_NEAR(scheduled_learning_rate(9, 100, peak, 0.1, 0.1), peak, 1e-12);
  EXPECT_NEAR(scheduled_learning_rate(10, 100, peak, 0.1, 0.1), peak, 1e-12);
  EXPECT_NEAR(scheduled_learning_rate(55, 100, peak, 0.1, 0.1), peak * (0.1 + 0.9 * 0.5), 1e-9);
  EXPECT_NEAR(scheduled_learning_rate(100, 100, peak, 0.1, 0.1), peak * 0.1, 1e-12);
  double last = peak;
  for (int s = 10; s < 100; ++s) {
    const double lr = scheduled_learning_rate(s, 100, peak, 0.1, 0.1);
    EXPECT_LE(lr, last + 1e-15);
    last = lr;
  }
}

}  // namespace
