#pragma once
// `star generate <config> --checkpoint <dir>`: samples text from a model `star train` saved,
// continuing a prompt token by token through the incremental inference path (a prefill of the
// prompt, then one decode step per new token: model/inference_cache.hpp), with a temperature and
// top-k, and prints the tokens/s of the prefill and of the decode.
//
// A byte-level model (a vocabulary of at least 256, e.g. `star data encode-bytes` shards) takes
// --prompt as text and prints text; any model takes --prompt-tokens as token ids and prints ids.
#include <cstdint>
#include <string>
#include <vector>

#include "app/subcommand.hpp"

namespace star::app {

struct GenerateOptions {
  std::string config_path;
  std::string checkpoint;
  std::string task;           // the suite member it was trained on (with [task] suite)
  std::string prompt;         // text, read as bytes
  std::vector<int64_t> prompt_tokens;  // token ids, given as "3,1,4"
  int64_t tokens = 200;       // new tokens to generate
  double temperature = 1.0;   // 0: the most likely token each time
  int64_t top_k = 0;          // sample among the k most likely; 0: all
  uint64_t seed = 0;
};

int run_generate(const GenerateOptions& options);

void add_generate_command(CLI::App& star, Subcommands& out);

}  // namespace star::app
