#include <gtest/gtest.h>

#include <torch/torch.h>

#include <stdexcept>
#include <vector>

#include "train/step_staging.hpp"

namespace star {
namespace {

// 5 rows of 3 tokens: input i*10 + t, target i*10 + t + 1 except where t == i % 3 (ignored).
train::TokenDataset small_data() {
  train::TokenDataset d{torch::empty({5, 3}, torch::kInt64), torch::empty({5, 3}, torch::kInt64)};
  for (int64_t i = 0; i < 5; ++i)
    for (int64_t t = 0; t < 3; ++t) {
      d.inputs[i][t] = i * 10 + t;
      d.targets[i][t] = t == i % 3 ? train::kIgnoreTarget : i * 10 + t + 1;
    }
  return d;
}

void expect_staged(const torch::Device& device) {
  const auto data = small_data();
  auto inputs = torch::full({2, 3}, -1, torch::TensorOptions().dtype(torch::kInt64).device(device));
  auto targets = torch::full({2, 3}, -1, torch::TensorOptions().dtype(torch::kInt64).device(device));
  train::BatchStaging staging(inputs, targets);
  // Three batches in a row: the staging's two host buffers are reused in turn.
  const std::vector<std::vector<int64_t>> batches{{4, 0}, {2, 2}, {1, 3}};
  for (const auto& rows : batches) {
    const int64_t scored = staging.stage(data, rows.data(), 2);
    EXPECT_EQ(scored, 4);  // one ignored target per row
    const auto index = torch::tensor(rows, torch::kInt64);
    EXPECT_TRUE(torch::equal(inputs.cpu(), data.inputs.index_select(0, index)));
    EXPECT_TRUE(torch::equal(targets.cpu(), data.targets.index_select(0, index)));
  }
}

TEST(BatchStaging, CopiesTheChosenRowsAndCountsTheScoredTargets) { expect_staged(torch::kCPU); }

TEST(BatchStaging, ARowOutsideTheDataOrABatchOfTheWrongSizeIsAnError) {
  const auto data = small_data();
  auto inputs = torch::zeros({2, 3}, torch::kInt64), targets = torch::zeros({2, 3}, torch::kInt64);
  train::BatchStaging staging(inputs, targets);
  const std::vector<int64_t> past_end{1, 5}, three{0, 1, 2};
  EXPECT_THROW(staging.stage(data, past_end.data(), 2), std::out_of_range);
  EXPECT_THROW(staging.stage(data, three.data(), 3), std::invalid_argument);
  const train::TokenDataset strided{data.inputs.t().contiguous().t(), data.targets};  // same values, column-major
  const std::vector<int64_t> rows{0, 1};
  EXPECT_THROW(staging.stage(strided, rows.data(), 2), std::invalid_argument);
}

TEST(LossReadback, ReadsTheLastQueuedLoss) {
  train::LossReadback readback(torch::kCPU);
  EXPECT_THROW(readback.read(), std::logic_error);
  auto loss = torch::full({}, 2.5f);
  readback.queue(loss);
  loss.fill_(7.0f);  // overwritten after the copy was queued, as the next replay does
  EXPECT_DOUBLE_EQ(readback.read(), 2.5);
}

// On a GPU: the copies are queued behind work on the current stream, and a read waits for its
// own copy only.
TEST(StepStagingGpu, BatchesAndLossesGoThroughPinnedMemory) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no GPU";
  expect_staged(torch::Device(torch::kCUDA, 0));
  train::LossReadback readback(torch::Device(torch::kCUDA, 0));
  auto big = torch::randn({4096, 4096}, torch::Device(torch::kCUDA, 0));
  for (int i = 0; i < 3; ++i) {
    auto loss = big.matmul(big).sum() * 0 + float(i);  // queued behind a product
    readback.queue(loss);
    EXPECT_DOUBLE_EQ(readback.read(), double(i));
  }
}

}  // namespace
}  // namespace star
