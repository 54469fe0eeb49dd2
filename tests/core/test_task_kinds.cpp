// The task kinds and their default sizes (core/task_kinds.hpp), linked with star_core alone.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/task_kinds.hpp"

namespace star {
namespace {

TEST(TaskKinds, MadBaselineSizes) {
  using train::mad_baseline;
  EXPECT_EQ(train::task_kinds().size(), 6u);
  EXPECT_EQ(mad_baseline("compression").seq_len, 62);
  EXPECT_EQ(mad_baseline("compression").vocab_size, 16);
  EXPECT_EQ(mad_baseline("in_context_recall").seq_len, 128);
  EXPECT_EQ(mad_baseline("noisy_in_context_recall").vocab_size, 32);
  EXPECT_EQ(mad_baseline("selective_copying").seq_len, 256);
  EXPECT_EQ(mad_baseline("memorization").vocab_size, 256);
}

TEST(TaskKinds, AnUnknownKindIsRefusedNamingTheKnownOnes) {
  EXPECT_THROW(train::mad_baseline("compression_of_everything"), std::invalid_argument);
  for (const auto& kind : train::task_kinds()) {
    EXPECT_NO_THROW(train::check_task_kind(kind));
    EXPECT_EQ(train::mad_baseline(kind).kind, kind);
  }
  try {
    train::mad_baseline("shards");  // a kind a configuration may name, but not a MAD one
    FAIL() << "mad_baseline(\"shards\") did not throw";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("unknown task kind \"shards\""), std::string::npos) << what;
    EXPECT_NE(what.find("in_context_recall, noisy_in_context_recall"), std::string::npos) << what;
  }
  EXPECT_EQ(train::default_task("shards").vocab_size, 256);
  EXPECT_THROW(train::default_task("recall"), std::invalid_argument);
}

}  // namespace
}  // namespace star
