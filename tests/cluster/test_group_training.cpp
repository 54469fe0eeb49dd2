// Under mpirun with 2 ranks forming one group: real training steps whose gradients are summed
// over MPI, with an out-of-memory injected on one rank only. The group must not hang, must start
// again together at half the micro-batch, and must end where a group that started there ends.
// main() is mpi_main.cpp's.
#include <gtest/gtest.h>
#include <mpi.h>

#include <stdexcept>
#include <string>

#include "cluster/mpi_gradient_reducer.hpp"
#include "genome/genome.hpp"
#include "train/trainer.hpp"

namespace {

using namespace star;

struct GroupTraining {
  train::TaskData data;
  genome::Genome genome = genome::parse_genome("31111-11111");
  cluster::MpiGradientReducer reducer{MPI_COMM_WORLD};
  train::TrainJob job;

  GroupTraining() {
    torch::set_num_threads(1);
    train::TaskConfig task;
    task.vocab_size = 16;
    task.seq_len = 32;
    task.train_examples = 256;
    task.test_examples = 32;
    data = train::make_task(task);
    job.genome = &genome;
    job.model.vocab_size = 16;
    job.model.width = 32;
    job.model.heads = 2;
    job.model.kernels = model::KernelBackend::torch;  // this main() does not start Kokkos
    job.settings.batch_size = 16;                     // a share of 8 sequences per rank
    job.settings.learning_rate = 3e-3;
    job.settings.token_budget = 16 * 32 * 12;  // 12 steps
    job.data = &data;
    job.seed = 7;
    job.reducer = &reducer;
  }
};

int group_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

TEST(GroupTraining, OneRankOutOfMemoryRetriesTheWholeGroupAtHalfTheMicroBatch) {
  GroupTraining reference;
  reference.job.settings.micro_batch_size = 4;
  const auto at_four = train::train_and_evaluate(reference.job);
  ASSERT_EQ(at_four.status, train::EvalStatus::ok) << at_four.message;

  // Rank 1 runs out of memory in step 5's forward pass whenever it holds more than 4 sequences.
  GroupTraining injected;
  int64_t step = 0, attempts = 0;
  injected.job.before_step = [&](int64_t s) {
    step = s;
    if (s == 0) ++attempts;
  };
  injected.job.before_micro_batch = [&](int64_t rows) {
    if (group_rank() == 1 && step == 5 && rows > 4)
      throw std::runtime_error("CUDA out of memory. Tried to allocate 2.00 GiB (injected)");
  };
  const auto retried = train::train_and_evaluate(injected.job);
  EXPECT_EQ(attempts, 2);  // every rank started again, once
  ASSERT_EQ(retried.status, train::EvalStatus::ok) << retried.message;
  EXPECT_EQ(retried.micro_batch_size, 4);
  EXPECT_EQ(retried.loss, at_four.loss);
  EXPECT_EQ(retried.loss_curve, at_four.loss_curve);
  EXPECT_EQ(retried.tokens, at_four.tokens);
  EXPECT_NE(retried.message.find("out of memory at micro-batch 8; trained at 4"), std::string::npos)
      << retried.message;
}

TEST(GroupTraining, ARankThatNeverFitsEndsEveryRankOutOfMemory) {
  GroupTraining never;
  never.job.before_micro_batch = [](int64_t) {
    if (group_rank() == 1) throw std::runtime_error("CUDA out of memory (injected)");
  };
  const auto result = train::train_and_evaluate(never.job);
  EXPECT_EQ(result.status, train::EvalStatus::oom);
  EXPECT_EQ(result.micro_batch_size, 1);
  EXPECT_NE(result.message.find("out of memory at micro-batch 8, 4, 2; trained at 1"), std::string::npos)
      << result.message;
  if (group_rank() != 1) {
    EXPECT_NE(result.message.find("out of memory on another rank of the group at step 0"), std::string::npos)
        << result.message;
  }
}

// Without an out-of-memory the group trains once, at each rank's whole share.
TEST(GroupTraining, NoRankOutOfMemoryNoRetry) {
  GroupTraining plain;
  int64_t attempts = 0;
  plain.job.before_step = [&](int64_t s) { attempts += s == 0; };
  const auto result = train::train_and_evaluate(plain.job);
  EXPECT_EQ(result.status, train::EvalStatus::ok) << result.message;
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(result.micro_batch_size, 8);
  EXPECT_TRUE(result.message.empty()) << result.message;
}

}  // namespace
