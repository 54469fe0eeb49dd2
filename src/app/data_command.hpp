#pragma once
// `star data encode-bytes <text files> -o <dir>`: any text as a language-model data set of
// byte-level token shards (vocabulary 256) in llm.c's format, split into train and validation.
#include <cstdint>
#include <string>
#include <vector>

namespace star::app {

struct EncodeBytesOptions {
  std::vector<std::string> inputs;
  std::string output_dir;
  double val_fraction = 0.1;          // the last bytes of the concatenated input
  int64_t shard_tokens = 100000000;   // tokens per shard, as llm.c's shards
};

// Writes <dir>/train_NNNNNN.bin and <dir>/val_NNNNNN.bin; returns the process exit code.
int run_encode_bytes(const EncodeBytesOptions& options);

}  // namespace star::app
