// A configuration's [task] suite through the application: a genome's result is the mean of its
// trainings on each task, a failing task ends the evaluation and names itself, the cost estimate
// counts every task, and a changed suite refuses a resume.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <torch/torch.h>

#include "app/evaluate_genome.hpp"
#include "app/generation_plan.hpp"
#include "app/run_directory.hpp"
#include "genome/genome.hpp"
#include "io/config.hpp"
#include "io/config_schema.hpp"
#include "model/cost_estimate.hpp"
#include "train/trainer.hpp"

namespace {

using namespace star;

// tests/data/tiny_suite.toml: in-context recall (vocabulary 16, length 16) and memorization
// (vocabulary 32, length 8), 4096 tokens each.
std::string tiny_suite() {
  const char* root = std::getenv("STAR_SOURCE_DIR");
  if (!root) throw std::runtime_error("STAR_SOURCE_DIR is not set");
  std::ifstream in(std::string(root) + "/tests/data/tiny_suite.toml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

struct SuiteRun {
  io::Config config;
  std::vector<train::TaskData> data;
  app::EvaluationContext ctx;
  explicit SuiteRun(const std::string& text) : config(io::parse_config(text, "tiny_suite.toml")) {
    for (const auto& task : config.tasks) data.push_back(train::make_task(task));
    ctx.config = &config;
    ctx.data = &data;
  }
  // The genome trained on task i alone, as its own training, with the seed the suite gives it.
  train::EvalResult alone(const std::string& text, size_t i) const {
    const auto g = genome::parse_genome(text);
    train::TrainJob job;
    job.genome = &g;
    job.model = io::task_model(config, config.tasks[i]);
    job.settings = config.train;
    job.metrics = config.metrics;
    job.data = &data[i];
    job.seed = app::task_training_seed(config, text, config.tasks[i]);
    return train::train_and_evaluate(job);
  }
};

TEST(TaskSuite, ResultIsTheMeanOfTheTasksTrainedAlone) {
  torch::set_num_threads(1);
  const std::string genome = "31111-11111";
  SuiteRun run(tiny_suite());
  const auto suite = app::evaluate_genome(genome, run.ctx);
  const auto recall = run.alone(genome, 0), memorization = run.alone(genome, 1);
  ASSERT_EQ(recall.status, train::EvalStatus::ok) << recall.message;
  ASSERT_EQ(memorization.status, train::EvalStatus::ok) << memorization.message;
  ASSERT_EQ(suite.status, train::EvalStatus::ok) << suite.message;
  EXPECT_NE(recall.loss, memorization.loss);
  EXPECT_DOUBLE_EQ(suite.loss, (recall.loss + memorization.loss) / 2);
  EXPECT_DOUBLE_EQ(suite.accuracy, (recall.accuracy + memorization.accuracy) / 2);
  EXPECT_EQ(suite.tokens, recall.tokens + memorization.tokens);
  EXPECT_EQ(suite.tokens, 2 * 4096);
  // The parameter count and the cache are the first task's model's (vocabulary 16, length 16).
  EXPECT_EQ(suite.parameters, recall.parameters);
  EXPECT_EQ(memorization.parameters - recall.parameters, (32 - 16) * 16);  // only the embedding rows differ
  EXPECT_EQ(suite.cache_bytes, recall.cache_bytes);
  ASSERT_EQ(recall.loss_curve.size(), 32u);
  ASSERT_EQ(memorization.loss_curve.size(), 32u);
  ASSERT_EQ(suite.loss_curve.size(), 32u);
  for (size_t i = 0; i < suite.loss_curve.size(); ++i)
    EXPECT_DOUBLE_EQ(suite.loss_curve[i], (recall.loss_curve[i] + memorization.loss_curve[i]) / 2) << i;
  // Each task trains from a seed of its own, derived from the genome's.
  EXPECT_NE(app::task_training_seed(run.config, genome, run.config.tasks[0]),
            app::task_training_seed(run.config, genome, run.config.tasks[1]));
  EXPECT_NE(app::task_training_seed(run.config, genome, run.config.tasks[0]), app::genome_seed(run.config.run.seed, genome));
}

// A training loss above 4 nats is divergence: in-context recall (16 tokens) starts near ln 16 =
// 2.8 and trains, memorization's 256 tokens start near ln 256 = 5.5 and diverge at once, and
// compression after it is never trained.
TEST(TaskSuite, AFailingTaskEndsTheEvaluationAndNamesIt) {
  torch::set_num_threads(1);
  std::string text = replaced(tiny_suite(), "\"memorization\"]", "\"memorization\", \"compression\"]");
  text = replaced(replaced(text, "vocab_size = 32", "vocab_size = 256"), "[train]\n", "[train]\ndivergence_loss = 4.0\n");
  SuiteRun run(text + "[task.compression]\nseq_len = 16\ntrain_examples = 64\ntest_examples = 16\n");
  const auto recall = run.alone("31111-11111", 0);
  ASSERT_EQ(recall.status, train::EvalStatus::ok) << recall.message;
  const auto r = app::evaluate_genome("31111-11111", run.ctx);
  EXPECT_EQ(r.status, train::EvalStatus::diverged);
  EXPECT_EQ(r.message.rfind("memorization: training loss", 0), 0u) << r.message;
  EXPECT_NE(r.message.find("at step 0"), std::string::npos) << r.message;
  EXPECT_EQ(r.tokens, recall.tokens) << "compression was trained after the failure";
  EXPECT_FALSE(r.feasible());
}

// The cost of a genome on a suite is the sum of its cost on each task, at each task's length and
// vocabulary: longest-first dispatch and star simulate see every task.
TEST(TaskSuite, CostEstimateCountsEveryTask) {
  const auto config = io::parse_config(tiny_suite(), "tiny_suite.toml");
  const auto g = genome::parse_genome("31111-11111");
  const double recall = model::training_flops(g, io::task_model(config, config.tasks[0]), 16, 4096);
  const double memorization = model::training_flops(g, io::task_model(config, config.tasks[1]), 8, 4096);
  EXPECT_NE(recall, memorization);
  EXPECT_DOUBLE_EQ(app::estimated_training_flops(g, config), recall + memorization);
  const auto one = io::parse_config("[task]\nkind = \"in_context_recall\"\nseq_len = 16\n", "one.toml");
  EXPECT_DOUBLE_EQ(app::estimated_training_flops(g, one),
                   model::training_flops(g, one.model, 16, one.train.token_budget));
}

// A resume must score genomes as the checkpoint did: another suite, a member's sizes or seed, or
// a switch between kind and suite is refused.
TEST(TaskSuite, ChangedSuiteRefusesTheResume) {
  const std::string suite = tiny_suite();
  const auto then = io::parse_config(suite, "tiny_suite.toml");
  auto keys = [&](const std::string& text) {
    return io::resume_differences(io::parse_config(text, "now.toml"), then);
  };
  using Keys = std::vector<std::string>;
  EXPECT_TRUE(keys(suite).empty());
  EXPECT_TRUE(keys(replaced(suite, "generations = 2", "generations = 40")).empty());
  EXPECT_EQ(keys(replaced(suite, "\"in_context_recall\", \"memorization\"", "\"memorization\", \"in_context_recall\"")),
            Keys{"[task] suite"});
  const std::string recall_only = suite.substr(0, suite.find("[task.memorization]"));
  EXPECT_EQ(keys(replaced(recall_only, ", \"memorization\"", "")), Keys{"[task] suite"});
  EXPECT_EQ(keys(replaced(suite, "vocab_size = 32", "vocab_size = 64")), Keys{"[task.memorization] vocab_size"});
  EXPECT_EQ(keys(replaced(suite, "test_examples = 32", "test_examples = 64")),
            Keys{"[task.in_context_recall] test_examples"});
  EXPECT_EQ(keys(replaced(suite, "[task.memorization]\n", "[task.memorization]\nseed = 5\n")),
            Keys{"[task.memorization] seed"});
  // [task] seed reaches every task's data.
  EXPECT_EQ(keys(replaced(suite, "suite = [", "seed = 5\nsuite = [")),
            (Keys{"[task.in_context_recall] seed", "[task.memorization] seed"}));
  // The first task alone, as a `kind` configuration.
  EXPECT_EQ(keys(suite.substr(0, suite.find("[task]")) +
                 "[task]\nkind = \"in_context_recall\"\nseq_len = 16\ntrain_examples = 128\ntest_examples = 32\n"),
            Keys{"[task]"});
}

}  // namespace
