#pragma once
// What a model keeps between tokens when it generates: its inference cache. A prefill consumes a
// prompt into an empty cache (in parallel over the prompt, as training does), and each decode
// step consumes one token per sequence and updates the cache; together they give the logits of
// the full forward pass (tests/model/test_incremental_inference.cpp).
//
// Each LIV keeps what its family needs (model/liv.hpp says what for each), under names of its
// own: attention its keys and values (at most kSparsityWindow of them with a band or blocks), the
// recurrences, linear attention and S4 their state, short convolutions their last K - 1 inputs,
// long convolutions the inputs their filter reaches. A LIV that borrows another's feature groups
// keeps none of them: they are held once, by the owner. What `bytes()` counts is what the `cache`
// objective's formula (LivImpl::cache_bytes) predicts, per sequence times the batch.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace star::model {

struct LivCache {
  // Tokens per sequence the caller means to consume at most (0: not known): a LIV whose cache
  // grows with the sequence allocates this many positions once, at the prefill, instead of
  // growing a tensor every step.
  int64_t capacity = 0;
  std::map<std::string, torch::Tensor> state;  // per sequence: [B, ...] each
  std::vector<LivCache> copies;                // a differential LIV's two copies
  // Computed from the weights, the same for every sequence (a long convolution's filter taps):
  // kept so that a decode step need not recompute them, and not part of the cache objective.
  std::map<std::string, torch::Tensor> derived;

  // Bytes of the per-sequence state, the copies' included.
  int64_t bytes() const {
    int64_t total = 0;
    for (const auto& [name, t] : state) total += static_cast<int64_t>(t.numel()) * static_cast<int64_t>(t.element_size());
    for (const auto& c : copies) total += c.bytes();
    return total;
  }
};

struct InferenceCache {
  explicit InferenceCache(int64_t capacity = 0) : capacity(capacity) {}
  int64_t capacity = 0;        // as LivCache::capacity
  std::vector<LivCache> livs;  // one per LIV of the backbone
  int64_t tokens = 0;          // tokens consumed per sequence so far

  int64_t bytes() const {
    int64_t total = 0;
    for (const auto& l : livs) total += l.bytes();
    return total;
  }
};

}  // namespace star::model
