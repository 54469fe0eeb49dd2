// llm.c token shards: reading good files, clear errors for bad ones, and windows drawn from them.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "train/tasks.hpp"
#include "train/token_shards.hpp"

namespace {

using namespace star::train;

struct TempDir {
  std::string path;
  std::vector<std::string> files;
  TempDir() {
    char name[] = "/tmp/star_shards_XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() {  // std::filesystem::remove_all is unsafe next to LibTorch 2.11 (see ENV.md)
    for (const auto& f : files) ::unlink(f.c_str());
    ::rmdir(path.c_str());
  }
  std::string file(const std::string& name) {
    files.push_back(path + "/" + name);
    return files.back();
  }
};

std::vector<uint16_t> counting(int n, int modulo) {
  std::vector<uint16_t> t(n);
  for (int i = 0; i < n; ++i) t[i] = static_cast<uint16_t>(i % modulo);
  return t;
}

std::string error_of(const std::string& path) {
  try {
    TokenShard shard(path);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST(TokenShards, WrittenShardReadsBackWithItsHeader) {
  TempDir dir;
  const auto path = dir.file("train_000000.bin");
  write_shard(path, counting(1000, 200));
  TokenShard shard(path);
  ASSERT_EQ(shard.size(), 1000);
  EXPECT_EQ(shard.tokens()[0], 0);
  EXPECT_EQ(shard.tokens()[999], 999 % 200);
  std::ifstream in(path, std::ios::binary);
  int32_t header[3];
  in.read(reinterpret_cast<char*>(header), sizeof(header));
  EXPECT_EQ(header[0], 20240520);
  EXPECT_EQ(header[1], 1);
  EXPECT_EQ(header[2], 1000);
}

TEST(TokenShards, BadFilesAreNamedWithTheirProblem) {
  TempDir dir;
  EXPECT_NE(error_of(dir.path + "/missing.bin").find("missing.bin: cannot open"), std::string::npos);

  const auto short_file = dir.file("short.bin");
  std::ofstream(short_file) << "tiny";
  EXPECT_NE(error_of(short_file).find("shorter than the 1024-byte shard header"), std::string::npos);

  const auto wrong_magic = dir.file("magic.bin");
  write_shard(wrong_magic, counting(10, 5));
  {
    std::fstream f(wrong_magic, std::ios::in | std::ios::out | std::ios::binary);
    const int32_t bad = 12345;
    f.write(reinterpret_cast<const char*>(&bad), sizeof(bad));
  }
  EXPECT_NE(error_of(wrong_magic).find("magic 12345, expected 20240520"), std::string::npos) << error_of(wrong_magic);

  const auto truncated = dir.file("truncated.bin");
  write_shard(truncated, counting(100, 5));
  ASSERT_EQ(::truncate(truncated.c_str(), 1024 + 150), 0);
  EXPECT_NE(error_of(truncated).find("the header says 100 tokens (1224 bytes) but the file has 1174 bytes"),
            std::string::npos)
      << error_of(truncated);
}

TEST(TokenShards, WindowsAreConsecutiveTokensWithNextTokenTargets) {
  TempDir dir;
  write_shard(dir.file("a.bin"), counting(500, 500));
  write_shard(dir.file("b.bin"), counting(300, 300));
  auto d = sample_windows(dir.path + "/*.bin", 64, 16, 500, 3);
  ASSERT_EQ(d.inputs.sizes(), (std::vector<int64_t>{64, 16}));
  // counting() shards: every window is a run of consecutive integers, targets one ahead.
  EXPECT_TRUE(torch::equal(d.inputs.narrow(1, 1, 15), d.inputs.narrow(1, 0, 15) + 1));
  EXPECT_TRUE(torch::equal(d.targets, d.inputs + 1));
  auto again = sample_windows(dir.path + "/*.bin", 64, 16, 500, 3);
  EXPECT_TRUE(torch::equal(d.inputs, again.inputs)) << "the same seed draws the same windows";
}

TEST(TokenShards, TooFewTokensTokensBeyondTheVocabularyAndNoMatchAreErrors) {
  TempDir dir;
  write_shard(dir.file("small.bin"), counting(10, 10));
  EXPECT_THROW(sample_windows(dir.path + "/nothing_*.bin", 1, 8, 256, 1), DataError);
  try {
    sample_windows(dir.path + "/small.bin", 1, 16, 256, 1);
    FAIL() << "a shard of 10 tokens holds no window of 17";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("holds one window of 17 tokens"), std::string::npos) << e.what();
  }
  try {
    sample_windows(dir.path + "/small.bin", 4, 4, 5, 1);
    FAIL() << "tokens 5..9 are beyond a vocabulary of 5";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("is not below the vocabulary size 5"), std::string::npos) << e.what();
  }
}

TEST(TokenShards, ShardsTaskHasFixedValidationWindows) {
  TempDir dir;
  write_shard(dir.file("train_000000.bin"), counting(2000, 256));
  write_shard(dir.file("val_000000.bin"), counting(400, 256));
  TaskConfig c = default_task("shards");
  c.seq_len = 32;
  c.train_examples = 20;
  c.test_examples = 8;
  c.train_shards = dir.path + "/train_*.bin";
  c.val_shards = dir.path + "/val_*.bin";
  auto a = make_task(c), b = make_task(c);
  EXPECT_TRUE(torch::equal(a.test.inputs, b.test.inputs));
  EXPECT_EQ(a.train.inputs.size(0), 20);
  c.val_shards.clear();
  EXPECT_THROW(make_task(c), std::invalid_argument);
}

}  // namespace
