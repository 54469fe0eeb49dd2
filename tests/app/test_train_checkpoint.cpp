// star train's checkpoints: a training stopped after a save and resumed from the files gives
// exactly the result of a training never stopped, and the state file round-trips.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include "app/train_checkpoint.hpp"
#include "genome/genome.hpp"
#include "train/trainer.hpp"

namespace {

using namespace star;

struct TinyTraining {
  train::TaskData data;
  genome::Genome genome = genome::parse_genome("31111-11111-21111");
  train::TrainJob job;
  TinyTraining() {
    train::TaskConfig task;
    task.seq_len = 16;
    task.train_examples = 256;
    task.test_examples = 32;
    data = train::make_task(task);
    job.genome = &genome;
    job.model.vocab_size = task.vocab_size;
    job.model.width = 16;
    job.model.heads = 2;
    job.settings.batch_size = 8;
    job.settings.learning_rate = 3e-3;
    job.settings.token_budget = 8 * 16 * 40;  // 40 steps
    job.data = &data;
    job.seed = 9;
  }
};

std::string temp_dir() {
  char name[] = "/tmp/star_train_ckpt_XXXXXX";
  return ::mkdtemp(name);
}

// The result of a TinyTraining never stopped, and the state of a new one (what the tests save).
train::EvalResult straight_training() {
  torch::set_num_threads(1);
  return train::train_and_evaluate(TinyTraining().job);
}

app::TrainState tiny_state() {
  app::TrainState state;
  state.genome = "31111-11111-21111";
  state.steps = 40;
  return state;
}

// A TinyTraining continued from the weights and optimizer state saved in `dir`.
train::EvalResult resume_from(const std::string& dir) {
  const auto saved = app::read_train_state(dir);
  TinyTraining second;
  second.job.start_step = saved.step;
  second.job.restore = [&](torch::nn::Module& m, torch::optim::Optimizer& o) {
    app::load_model(dir, saved, m, torch::kCPU);
    app::load_optimizer(dir, saved, o, torch::kCPU);
  };
  return train::train_and_evaluate(second.job);
}

// Deletes a checkpoint folder holding one save, `weights` (e.g. "step_00000015").
void remove_checkpoint(const std::string& dir, const std::string& weights) {
  for (const std::string& f : {"/" + weights + "/model.pt", "/" + weights + "/optimizer.pt", std::string("/state.toml")})
    ::unlink((dir + f).c_str());
  ::rmdir((dir + "/" + weights).c_str());
  ::rmdir(dir.c_str());
}

TEST(TrainCheckpoint, ResumedTrainingEqualsUninterruptedTraining) {
  const auto straight = straight_training();
  ASSERT_EQ(straight.status, train::EvalStatus::ok) << straight.message;

  // The first run saves at step 15 and "dies" there: its later saves are ignored.
  const std::string dir = temp_dir();
  app::TrainState state = tiny_state();
  TinyTraining first;
  first.job.save_every = 15;
  first.job.on_save = [&](torch::nn::Module& m, torch::optim::Optimizer& o, int64_t step) {
    if (step != 15) return;
    state.step = step;
    app::save_training(dir, state, m, o);
  };
  train::train_and_evaluate(first.job);

  const auto saved = app::read_train_state(dir);
  ASSERT_EQ(saved.step, 15);
  ASSERT_EQ(saved.weights, "step_00000015");
  const auto resumed = resume_from(dir);
  ASSERT_EQ(resumed.status, train::EvalStatus::ok) << resumed.message;
  EXPECT_DOUBLE_EQ(resumed.loss, straight.loss);
  EXPECT_DOUBLE_EQ(resumed.accuracy, straight.accuracy);
  EXPECT_EQ(resumed.tokens, 25 * 8 * 16) << "only the remaining steps are trained";

  remove_checkpoint(dir, "step_00000015");
}

// A training stopped by a signal (should_stop) saves the steps it did, even between two saves,
// and continuing from that save ends as a training never stopped (what star train and star
// retrain do on SIGUSR1).
TEST(TrainCheckpoint, AStopSavesTheStepsDoneAndTheResumeEqualsAStraightTraining) {
  const auto straight = straight_training();
  ASSERT_EQ(straight.status, train::EvalStatus::ok) << straight.message;

  const std::string dir = temp_dir();
  app::TrainState state = tiny_state();
  std::vector<int64_t> saves;
  TinyTraining first;
  first.job.save_every = 15;
  first.job.should_stop = [calls = 0]() mutable { return ++calls > 22; };  // a signal before step 22
  first.job.on_save = [&](torch::nn::Module& m, torch::optim::Optimizer& o, int64_t step) {
    saves.push_back(step);
    state.step = step;
    app::save_training(dir, state, m, o);
  };
  const auto stopped = train::train_and_evaluate(first.job);
  EXPECT_EQ(stopped.status, train::EvalStatus::interrupted);
  EXPECT_EQ(saves, (std::vector<int64_t>{15, 22})) << "the save every 15 steps, then the stop's";

  const auto saved = app::read_train_state(dir);
  ASSERT_EQ(saved.step, 22);
  const auto resumed = resume_from(dir);
  ASSERT_EQ(resumed.status, train::EvalStatus::ok) << resumed.message;
  EXPECT_DOUBLE_EQ(resumed.loss, straight.loss);
  EXPECT_DOUBLE_EQ(resumed.accuracy, straight.accuracy);

  remove_checkpoint(dir, "step_00000022");
}

TEST(TrainCheckpoint, StateRoundTripsAndANewSaveReplacesTheOldWeights) {
  const std::string dir = temp_dir();
  app::TrainState s;
  s.genome = "21111";
  s.width = 768;
  s.heads = 12;
  s.step = 10;
  s.steps = 100;
  s.seed = 123456789012345ULL;
  s.loss_curve = {{1, 5.5}, {10, 3.25}};
  torch::nn::Linear model(2, 2);
  torch::optim::AdamW optimizer(model->parameters());
  app::save_training(dir, s, *model, optimizer);
  s.step = 20;
  app::save_training(dir, s, *model, optimizer);
  const auto r = app::read_train_state(dir);
  EXPECT_EQ(r.genome, "21111");
  EXPECT_EQ(r.width, 768);
  EXPECT_EQ(r.step, 20);
  EXPECT_EQ(r.seed, 123456789012345ULL);
  EXPECT_EQ(r.weights, "step_00000020");
  ASSERT_EQ(r.loss_curve.size(), 2u);
  EXPECT_EQ(r.loss_curve[1].first, 10);
  EXPECT_DOUBLE_EQ(r.loss_curve[1].second, 3.25);
  EXPECT_NE(::access((dir + "/step_00000010").c_str(), F_OK), 0) << "the previous weights are deleted";
  EXPECT_THROW(app::read_train_state(dir + "/nothing"), std::runtime_error);
  remove_checkpoint(dir, "step_00000020");
}

}  // namespace
