// Each task kind's size requirements (core/task_sizes.hpp), checked without building any data,
// linked with star_core alone. That the generators refuse the same sizes is test_mad_tasks'.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/task_kinds.hpp"
#include "core/task_sizes.hpp"

namespace star {
namespace {

std::string refusal(const train::TaskConfig& config) {
  try {
    train::check_task_sizes(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(TaskSizes, EveryMadBaselineFits) {
  for (const auto& kind : train::task_kinds()) EXPECT_EQ(refusal(train::mad_baseline(kind)), "") << kind;
}

TEST(TaskSizes, EachKindRefusesSizesItsGeneratorCannotUse) {
  auto with = [](const std::string& kind, auto change) {
    auto c = train::mad_baseline(kind);
    change(c);
    return refusal(c);
  };
  EXPECT_EQ(with("memorization", [](auto& c) { c.seq_len = 7; }), "memorization: seq_len must be even, got 7");
  EXPECT_NE(with("compression", [](auto& c) { c.seq_len = 3; }).find("compression: seq_len must be even and at least 4"),
            std::string::npos);
  EXPECT_NE(with("selective_copying", [](auto& c) { c.tokens_to_copy = c.seq_len; }).find("tokens_to_copy"),
            std::string::npos);
  EXPECT_NE(with("fuzzy_in_context_recall", [](auto& c) { c.seq_len = 3 * (c.k_motif_size + c.v_motif_size); })
                .find("seq_len must be at least 3 x (k_motif_size + v_motif_size) + 1"),
            std::string::npos);
  EXPECT_NE(with("in_context_recall", [](auto& c) { c.noise_vocab_size = c.vocab_size - 3; }).find("got 3"),
            std::string::npos);
  EXPECT_NE(with("noisy_in_context_recall", [](auto& c) { c.noise_vocab_size = 0; }).find("frac_noise > 0 needs"),
            std::string::npos);
}

TEST(TaskSizes, ShardsNeedBothPatternsAndUnknownKindsAreNamed) {
  auto shards = train::default_task("shards");
  EXPECT_NE(refusal(shards).find("train_shards and val_shards (glob patterns) are required"), std::string::npos);
  shards.train_shards = "data/train_*.bin";
  shards.val_shards = "data/val_*.bin";
  EXPECT_EQ(refusal(shards), "");  // the files themselves are data/token_shard.hpp's to open
  train::TaskConfig unknown;
  unknown.kind = "recall";
  EXPECT_NE(refusal(unknown).find("unknown task kind \"recall\""), std::string::npos);
}

}  // namespace
}  // namespace star
