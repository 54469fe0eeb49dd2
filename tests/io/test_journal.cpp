// The evaluation journal: exact round trip of a result, torn and damaged lines ignored, records
// of other generations left out, pruning of checkpointed generations.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "io/checksum.hpp"
#include "io/journal.hpp"
#include "../support/every_field.hpp"
#include "../support/scratch_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace star::io;
using star::train::EvalStatus;

using star::test::remove_tree;

std::string fresh_dir(const std::string& name) { return star::test::fresh_dir("journal_" + name).string(); }

JournalRecord record(int generation, const std::string& genome, double loss) {
  JournalRecord r;
  r.generation = generation;
  r.genome = genome;
  r.result.status = EvalStatus::ok;
  r.result.loss = loss;
  r.result.accuracy = 1.0 / 3.0;
  r.result.parameters = 123456789012LL;
  r.result.cache_bytes = 4096;
  r.result.tokens = 5120;
  r.result.seconds = 0.1;
  r.result.tokens_per_second = 51200.7;
  r.result.peak_memory_bytes = 3LL << 33;
  r.result.loss_curve = {2.75, 1.0 / 3.0, 0.1};
  return r;
}

TEST(Journal, LineRoundTripIsExact) {
  auto r = record(7, "21211-31112-21221", 2.0 / 7.0);
  r.result.status = EvalStatus::diverged;
  r.result.loss = INFINITY;
  r.result.message = "loss nan\tat step 3\nand \\ more";
  JournalRecord back;
  ASSERT_TRUE(parse_journal_line(format_journal_line(r), back));
  EXPECT_EQ(back.generation, 7);
  EXPECT_EQ(back.genome, r.genome);
  EXPECT_EQ(back.result.status, EvalStatus::diverged);
  EXPECT_TRUE(std::isinf(back.result.loss));
  EXPECT_EQ(back.result.accuracy, r.result.accuracy);  // bit for bit, not approximately
  EXPECT_EQ(back.result.parameters, r.result.parameters);
  EXPECT_EQ(back.result.tokens_per_second, r.result.tokens_per_second);
  EXPECT_EQ(back.result.message, r.result.message);
  EXPECT_EQ(back.result.peak_memory_bytes, r.result.peak_memory_bytes);
  EXPECT_EQ(back.result.loss_curve, r.result.loss_curve);  // bit for bit
}

// Every field of the record, whatever its type, comes back bit for bit.
TEST(Journal, EveryFieldRoundTrips) {
  JournalRecord r{4, "21211-31112-21221", star::test::every_field_set()};
  JournalRecord back;
  ASSERT_TRUE(parse_journal_line(format_journal_line(r), back));
  EXPECT_EQ(back.generation, 4);
  EXPECT_EQ(back.genome, r.genome);
  star::test::expect_same_fields(back.result, r.result);
}

// A line of format 2 (before the hurdles), as star wrote it then: read, fidelity 1, no hurdles.
TEST(Journal, FormatTwoLinesAreRead) {
  std::string line =
      "star-journal-2\t5\t21111\tok\t0x1.8p+0\t0x1p-1\t100\t64\t512\t0x1p+0\t0x1p+9\t4096\t0x1p+1,0x1p+0\tfine";
  char sum[24];
  std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(fnv1a(line)));
  JournalRecord r;
  ASSERT_TRUE(parse_journal_line(line + '\t' + sum + '\n', r));
  EXPECT_EQ(r.generation, 5);
  EXPECT_EQ(r.result.loss, 1.5);
  EXPECT_EQ(r.result.peak_memory_bytes, 4096);
  EXPECT_EQ(r.result.loss_curve, (std::vector<double>{2.0, 1.0}));
  EXPECT_EQ(r.result.message, "fine");
  EXPECT_EQ(r.result.fidelity, 1.0);
  EXPECT_TRUE(r.result.hurdle_losses.empty());
}

TEST(Journal, EmptyLossCurveRoundTrips) {
  auto r = record(0, "11111", 1.0);
  r.result.status = EvalStatus::failed;
  r.result.loss_curve.clear();
  JournalRecord back;
  ASSERT_TRUE(parse_journal_line(format_journal_line(r), back));
  EXPECT_TRUE(back.result.loss_curve.empty());
}

// A line of version 1 (before peak memory and the loss curve): still replayed after an upgrade.
TEST(Journal, VersionOneLinesAreRead) {
  const std::string body =
      "star-journal-1\t3\t21111\tok\t0x1.8p+0\t0x1p-1\t100\t64\t512\t0x1p+0\t0x1p+9\tfine";
  char sum[24];
  std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(star::io::fnv1a(body)));
  JournalRecord back;
  ASSERT_TRUE(parse_journal_line(body + "\t" + sum + "\n", back));
  EXPECT_EQ(back.generation, 3);
  EXPECT_EQ(back.result.loss, 1.5);
  EXPECT_EQ(back.result.tokens_per_second, 512.0);
  EXPECT_EQ(back.result.message, "fine");
  EXPECT_EQ(back.result.peak_memory_bytes, 0);
  EXPECT_TRUE(back.result.loss_curve.empty());
}

TEST(Journal, TornOrDamagedLinesAreRejected) {
  const std::string line = format_journal_line(record(1, "11111", 1.25));
  JournalRecord r;
  EXPECT_FALSE(parse_journal_line(line.substr(0, line.size() - 1), r));  // no newline: torn
  EXPECT_FALSE(parse_journal_line(line.substr(0, line.size() / 2), r));
  std::string flipped = line;
  flipped[flipped.find("11111")] = '2';  // a changed genome no longer matches the checksum
  EXPECT_FALSE(parse_journal_line(flipped, r));
  EXPECT_FALSE(parse_journal_line("\n", r));
}

TEST(Journal, ReaderKeepsOnlyTheGenerationAskedAndSkipsATornLastLine) {
  const auto dir = fresh_dir("read");
  JournalWriter group0(dir, 0), group1(dir, 1);
  group0.append(record(2, "11111", 1.0));
  group1.append(record(2, "22222", 2.0));
  group1.append(record(3, "33333", 3.0));  // the next generation: another file
  {
    std::ofstream torn(journal_directory(dir) + "/g000002-group-0000.log", std::ios::app);
    torn << format_journal_line(record(2, "44444", 4.0)).substr(0, 30);  // killed mid-write
  }
  const auto replay = read_journal(dir, 2);
  ASSERT_EQ(replay.records.size(), 2u);
  EXPECT_EQ(replay.records[0].genome, "11111");
  EXPECT_EQ(replay.records[1].genome, "22222");
  EXPECT_EQ(replay.skipped_lines, 1);
  EXPECT_EQ(read_journal(dir, 3).records.size(), 1u);
  EXPECT_TRUE(read_journal(dir, 4).records.empty());
  // A record of generation 5 written into generation 2's file (it never is) is not replayed.
  {
    std::ofstream wrong(journal_directory(dir) + "/g000002-group-0001.log", std::ios::app);
    wrong << format_journal_line(record(5, "55555", 5.0));
  }
  EXPECT_EQ(read_journal(dir, 2).records.size(), 2u);
  remove_tree(dir);
}

TEST(Journal, InterruptedResultsAreNeverWritten) {
  const auto dir = fresh_dir("interrupted");
  auto r = record(0, "11111", 1.0);
  r.result.status = EvalStatus::interrupted;
  JournalWriter writer(dir, 0);
  EXPECT_THROW(writer.append(r), std::logic_error);
  EXPECT_FALSE(has_journal(dir));
  remove_tree(dir);
}

TEST(Journal, PruneRemovesCheckpointedGenerations) {
  const auto dir = fresh_dir("prune");
  EXPECT_FALSE(has_journal(dir));
  JournalWriter writer(dir, 0);
  for (int g = 0; g < 4; ++g) writer.append(record(g, "11111", g));
  EXPECT_TRUE(has_journal(dir));
  prune_journal(dir, 3);
  EXPECT_TRUE(read_journal(dir, 2).records.empty());
  EXPECT_EQ(read_journal(dir, 3).records.size(), 1u);
  prune_journal(dir, 4);
  EXPECT_FALSE(has_journal(dir));
  remove_tree(dir);
}

}  // namespace
