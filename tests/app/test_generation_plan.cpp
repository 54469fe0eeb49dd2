// What a resumed generation still trains: journal records of this generation for its candidates
// are replayed, everything else is ignored, and the rest is handed out longest first.
#include <gtest/gtest.h>

#include <filesystem>

#include <unistd.h>

#include "app/generation_plan.hpp"
#include "io/journal.hpp"
#include "../support/scratch_dir.hpp"

namespace {

using namespace star;
namespace fs = std::filesystem;

using star::test::remove_tree;

io::JournalRecord record(int generation, const std::string& genome, double loss) {
  io::JournalRecord r;
  r.generation = generation;
  r.genome = genome;
  r.result.status = train::EvalStatus::ok;
  r.result.loss = loss;
  return r;
}

TEST(GenerationPlan, ReplaysOnlyThisGenerationsCandidatesAndOrdersTheRestLongestFirst) {
  const auto dir = star::test::fresh_dir("plan");
  auto config = io::parse_config("[run]\nseed = 1\n", "test.toml");
  config.run.directory = dir.string();

  io::JournalWriter writer(config.run.directory, 0);
  writer.append(record(1, "11111-11111", 0.5));  // a candidate of generation 1: replayed
  writer.append(record(1, "21111-11111", 0.7));  // generation 1, but not a candidate: ignored
  writer.append(record(0, "31111-31111", 0.9));  // an earlier generation: not read for generation 1

  const std::vector<std::string> untrained = {"21111-21111", "11111-11111", "31111-31111"};
  const auto plan = app::plan_generation(config, 1, untrained);
  ASSERT_EQ(plan.replayed.size(), 1u);
  EXPECT_EQ(plan.replayed.at("11111-11111").loss, 0.5);
  EXPECT_EQ(plan.ignored_records, 1);
  EXPECT_EQ(plan.to_train, (std::vector<std::string>{"31111-31111", "21111-21111"}));

  // Nothing journaled for generation 2: everything is trained, longest first. At d = 64 and
  // T = 64, SwiGLU (3 d h, h = 2d) costs more per token than attention (4 d^2 + T d), which
  // costs more than the convolution (4 d^2 + K d).
  const auto fresh = app::plan_generation(config, 2, untrained);
  EXPECT_TRUE(fresh.replayed.empty());
  EXPECT_EQ(fresh.to_train, (std::vector<std::string>{"11111-11111", "31111-31111", "21111-21111"}));
  remove_tree(dir);
}

}  // namespace
