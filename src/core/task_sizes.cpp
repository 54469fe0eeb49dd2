#include "core/task_sizes.hpp"

#include <stdexcept>
#include <string>

#include "core/task_kinds.hpp"

namespace star::train {
namespace {

[[noreturn]] void refuse(const std::string& what) { throw std::invalid_argument(what); }

void check_in_context_recall(const TaskConfig& c) {
  const int64_t data = c.vocab_size - c.noise_vocab_size;
  if (data < 4) refuse("in_context_recall: vocab_size - noise_vocab_size must be at least 4, got " + std::to_string(data));
  if (c.seq_len < 2) refuse("in_context_recall: seq_len must be at least 2");
  if (c.frac_noise > 0 && c.noise_vocab_size < 1) refuse("in_context_recall: frac_noise > 0 needs noise_vocab_size >= 1");
}

void check_fuzzy_in_context_recall(const TaskConfig& c) {
  if (c.vocab_size - 1 < 4) refuse("fuzzy_in_context_recall: vocab_size must be at least 5");
  if (c.k_motif_size < 1 || c.v_motif_size < 1) refuse("fuzzy_in_context_recall: motif sizes must be at least 1");
  if (c.seq_len < 3 * (c.k_motif_size + c.v_motif_size) + 1)
    refuse("fuzzy_in_context_recall: seq_len must be at least 3 x (k_motif_size + v_motif_size) + 1, got " +
           std::to_string(c.seq_len));
}

void check_selective_copying(const TaskConfig& c) {
  const int64_t n = c.tokens_to_copy, prefix = c.seq_len - n - 1;
  if (c.vocab_size < 3) refuse("selective_copying: vocab_size must be at least 3");
  if (n < 1 || prefix <= n)
    refuse("selective_copying: seq_len must exceed 2 x tokens_to_copy + 1 (seq_len " + std::to_string(c.seq_len) +
           ", tokens_to_copy " + std::to_string(n) + ")");
}

void check_memorization(const TaskConfig& c) {
  if (c.vocab_size - 1 < 4) refuse("memorization: vocab_size must be at least 5");
  if (c.seq_len < 2 || c.seq_len % 2 != 0) refuse("memorization: seq_len must be even, got " + std::to_string(c.seq_len));
}

void check_compression(const TaskConfig& c) {
  if (c.seq_len < 4 || c.seq_len % 2 != 0)
    refuse("compression: seq_len must be even and at least 4 (seq_len / 2 tokens to compress, then as many outputs), "
           "got " + std::to_string(c.seq_len));
  if (c.vocab_size - 1 - c.noise_vocab_size < 2)
    refuse("compression: vocab_size - noise_vocab_size must be at least 3 (2 data tokens and the compression token), "
           "got " + std::to_string(c.vocab_size - c.noise_vocab_size));
  if (c.frac_noise > 0 && c.noise_vocab_size < 1) refuse("compression: frac_noise > 0 needs noise_vocab_size >= 1");
}

}  // namespace

void check_task_sizes(const TaskConfig& c) {
  if (c.kind == "shards") {
    if (c.train_shards.empty() || c.val_shards.empty())
      refuse("shards: train_shards and val_shards (glob patterns) are required");
    return;
  }
  check_task_kind(c.kind);
  if (c.kind == "in_context_recall" || c.kind == "noisy_in_context_recall") return check_in_context_recall(c);
  if (c.kind == "fuzzy_in_context_recall") return check_fuzzy_in_context_recall(c);
  if (c.kind == "selective_copying") return check_selective_copying(c);
  if (c.kind == "memorization") return check_memorization(c);
  if (c.kind == "compression") return check_compression(c);
  throw std::logic_error("task kind \"" + c.kind + "\" has no size check");
}

}  // namespace star::train
