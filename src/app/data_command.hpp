#pragma once
// `star data encode-bytes <text files> -o <dir>`: any text (plain or gzip-compressed, such as
// Debian's /usr/share/dictd/*.dict.dz) as a language-model data set of byte-level token shards
// (vocabulary 256) in llm.c's format, split into train, validation and, optionally, test.
//
// The validation split is what a search selects on ([task] val_shards); the test split is what
// no search and no training ever sees, for `star retrain --heldout` to judge the front on.
#include "app/subcommand.hpp"
#include <cstdint>
#include <string>
#include <vector>

namespace star::app {

struct EncodeBytesOptions {
  std::vector<std::string> inputs;
  std::string output_dir;
  double val_fraction = 0.1;          // share of the bytes for validation
  double test_fraction = 0;           // share of the bytes for test (0: no test split)
  // 0: each split is one stretch at the end of the concatenated input (validation, then test).
  // B > 0: the input is cut into blocks of B bytes dealt to the splits in proportion, spread
  // evenly over the input, so every split samples the whole text (a dictionary's last letters
  // are not its only held-out text).
  int64_t block_bytes = 0;
  int64_t shard_tokens = 100000000;   // tokens per shard, as llm.c's shards
};

// Writes <dir>/train_NNNNNN.bin, <dir>/val_NNNNNN.bin and (test_fraction > 0) <dir>/test_NNNNNN.bin;
// returns the process exit code.
int run_encode_bytes(const EncodeBytesOptions& options);

// `star data encode-bytes FILES... -o DIR ...`.
void add_data_commands(CLI::App& star, Subcommands& out);
}  // namespace star::app
