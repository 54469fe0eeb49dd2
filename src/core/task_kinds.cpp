#include "core/task_kinds.hpp"

#include <algorithm>
#include <stdexcept>

namespace star::train {

const std::vector<std::string>& task_kinds() {
  static const std::vector<std::string> kinds = {"in_context_recall", "noisy_in_context_recall",
                                                 "fuzzy_in_context_recall", "selective_copying", "memorization",
                                                 "compression"};
  return kinds;
}

void check_task_kind(const std::string& kind) {
  const auto& kinds = task_kinds();
  if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) return;
  std::string list;
  for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
  throw std::invalid_argument("unknown task kind \"" + kind + "\" (available: " + list + ")");
}

TaskConfig mad_baseline(const std::string& kind) {
  check_task_kind(kind);
  TaskConfig c;
  c.kind = kind;
  c.seq_len = 128;
  c.train_examples = 12800;
  c.test_examples = 1280;
  if (kind == "noisy_in_context_recall") {
    c.vocab_size = 32;
    c.noise_vocab_size = 16;
    c.frac_noise = 0.2;
  } else if (kind == "selective_copying") {
    c.seq_len = 256;
    c.tokens_to_copy = 16;
  } else if (kind == "memorization") {
    c.vocab_size = 256;
    c.seq_len = 32;
    c.train_examples = 256;
  } else if (kind == "compression") {
    c.seq_len = 62;  // MAD's 31 tokens and the compression token, then 30 more outputs (train/compression.hpp)
  }
  return c;
}

std::vector<std::string> all_task_kinds() {
  auto kinds = task_kinds();
  kinds.push_back("shards");
  return kinds;
}

TaskConfig default_task(const std::string& kind) {
  if (kind != "shards") return mad_baseline(kind);
  TaskConfig c;
  c.kind = kind;
  c.vocab_size = 256;
  c.seq_len = 256;
  c.train_examples = 4096;
  c.test_examples = 256;
  return c;
}

}  // namespace star::train
