#pragma once
// The evaluation journal: every finished evaluation, appended the moment it finishes, so a run
// killed in the middle of a generation loses no training. One file per rank group and
// generation, <run>/journal/g<NNNNNN>-group-<GGGG>.log, written only by that group's leader
// (no locking between writers). One record per line, tab-separated, ending in a checksum:
//
//   star-journal-2 <generation> <genome> <status> <loss> <accuracy> <parameters> <cache_bytes>
//                  <tokens> <seconds> <tokens_per_second> <peak_memory_bytes> <loss curve>
//                  <message> <fnv1a-64 of the line so far, hex>
//
// The loss curve is its points joined by commas. Lines of version 1 (written before the peak
// memory and the loss curve were recorded: no such fields) are still read.
// Doubles are written in hexadecimal floating point (%a) so a replayed result is bit for bit the
// one that was trained; the message is escaped (\t \n \\). Every line is flushed and fsync'd
// before the result goes to rank 0. A reader ignores any line that is torn (no newline) or whose
// checksum does not match: a crash while writing costs at most the record being written.
#include <string>
#include <vector>

#include "core/eval_result.hpp"

namespace star::io {

struct JournalRecord {
  int generation = 0;
  std::string genome;
  train::EvalResult result;
};

std::string journal_directory(const std::string& run_dir);

// One record as a line (with its '\n'), and back. parse returns false for a torn or damaged line.
std::string format_journal_line(const JournalRecord& record);
bool parse_journal_line(const std::string& line, JournalRecord& record);

// Appends records of one group to its file for one generation. Throws io::WriteError
// (io/atomic_file.hpp) naming the file when it cannot be written.
class JournalWriter {
 public:
  JournalWriter(const std::string& run_dir, int group);
  void append(const JournalRecord& record);

 private:
  std::string dir_;
  int group_ = 0;
};

// A file's lines, each with its '\n' (the last one without, when a writer died in the middle of
// it); none when the file is missing.
std::vector<std::string> read_lines(const std::string& path);

struct JournalReplay {
  std::vector<JournalRecord> records;  // the intact records of the generation asked for, file by file
  int skipped_lines = 0;               // torn or damaged lines ignored
};

// The intact records of `generation` in every group's file of the run directory.
JournalReplay read_journal(const std::string& run_dir, int generation);
// True when the run directory has any journal file (a run that started but never checkpointed).
bool has_journal(const std::string& run_dir);
// Removes the files of generations before `generation` (they are in the checkpoint now).
void prune_journal(const std::string& run_dir, int generation);

}  // namespace star::io
