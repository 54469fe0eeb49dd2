// The run directory's lock and the small run files: one holder at a time, a dead holder blocks
// nothing; a write is whole or absent, and a failed write (a file-size limit standing in for a
// full disk) is an error naming the file, with the previous contents kept.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "io/atomic_file.hpp"
#include "io/journal.hpp"
#include "io/run_lock.hpp"

#include "../support/file_size_limit.hpp"
#include "../support/scratch_dir.hpp"

namespace {

using star::io::RunLock;
using star::io::RunLockedError;
using star::io::WriteError;
using star::test::FileSizeLimit;

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(RunLock, OneHolderAtATimeNamedInTheRefusal) {
  const auto dir = star::test::fresh_dir("run_lock").string();
  {
    RunLock held(dir);
    try {
      RunLock second(dir);
      FAIL() << "a second lock on " << dir << " was granted";
    } catch (const RunLockedError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(dir + " is in use by another run"), std::string::npos) << what;
      EXPECT_NE(what.find("pid " + std::to_string(::getpid())), std::string::npos) << what;
      EXPECT_NE(what.find(RunLock::path(dir)), std::string::npos) << what;
    }
  }
  RunLock again(dir);  // released with its holder
  star::test::remove_tree(dir);
}

TEST(RunLock, ADeadHolderBlocksNothing) {
  const auto dir = star::test::fresh_dir("run_lock_dead").string();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RunLock held(dir);
    ::_exit(0);  // dies holding it: no destructor runs
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(contents(RunLock::path(dir)).find("pid " + std::to_string(child)), std::string::npos);
  RunLock mine(dir);
  star::test::remove_tree(dir);
}

TEST(AtomicFile, ReplacesWholeOrNotAtAll) {
  const auto dir = star::test::fresh_dir("atomic_file").string();
  const std::string path = dir + "/config.toml";
  star::io::write_file_atomically(path, "old = 1\n");
  EXPECT_EQ(contents(path), "old = 1\n");
  {
    FileSizeLimit full(16);
    try {
      star::io::write_file_atomically(path, std::string(4096, 'x'));
      FAIL() << "a write past the limit succeeded";
    } catch (const WriteError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot write " + path + ": "), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(contents(path), "old = 1\n");  // the previous contents, whole
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  EXPECT_THROW(star::io::write_file_atomically(dir + "/missing/config.toml", "x"), WriteError);
  star::test::remove_tree(dir);
}

TEST(Journal, AFailedAppendIsAWriteErrorNamingTheFile) {
  const auto dir = star::test::fresh_dir("journal_full").string();
  star::io::JournalWriter writer(dir, 0);
  star::io::JournalRecord record;
  record.genome = "11111-21111";
  record.result.message = std::string(4096, 'm');
  {
    FileSizeLimit full(64);
    try {
      writer.append(record);
      FAIL() << "a journal line past the limit was written";
    } catch (const WriteError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot write the journal " + dir + "/journal/g000000-group-0000.log"),
                std::string::npos)
          << e.what();
    }
  }
  star::test::remove_tree(dir);
}

}  // namespace
