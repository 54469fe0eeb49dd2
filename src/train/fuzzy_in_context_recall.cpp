#include "train/fuzzy_in_context_recall.hpp"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/task_sizes.hpp"

namespace star::train {
namespace {

using Motif = std::vector<int64_t>;

Motif draw_motif(TaskRng& rng, int64_t max_size, int64_t lo, int64_t hi) {
  Motif m(static_cast<size_t>(draw(rng, 1, max_size)));
  for (auto& token : m) token = draw(rng, lo, hi);
  return m;
}

}  // namespace

TokenDataset make_fuzzy_in_context_recall(const TaskConfig& config, int64_t examples, uint64_t seed) {
  const int64_t V = config.vocab_size, T = config.seq_len, K = V - 1, half = K / 2;
  const int64_t km = config.k_motif_size, vm = config.v_motif_size, pad = V - 1;
  check_task_sizes(config);
  return make_dataset(examples, T, seed, [&](TaskRng& rng, int64_t* x, int64_t* y) {
    // The sequence is built as (key, value) pairs; one extra token so the last value is a target.
    std::vector<int64_t> tokens, scored;  // scored[i]: tokens[i] is a recalled value token
    std::map<Motif, Motif> value_of;
    const Motif probe_key = draw_motif(rng, km, 0, half - 1), probe_value = draw_motif(rng, vm, half, K - 1);
    value_of[probe_key] = probe_value;
    const int64_t room = T + 1 - static_cast<int64_t>(probe_key.size() + probe_value.size());
    const int64_t probe_at = draw(rng, 0, room / 2);
    bool probe_placed = false;
    auto emit = [&](const Motif& key, const Motif& value, bool recalled) {
      for (int64_t k : key) tokens.push_back(k), scored.push_back(0);
      for (int64_t v : value) tokens.push_back(v), scored.push_back(recalled);
    };
    std::map<Motif, bool> shown;
    while (true) {
      Motif key = draw_motif(rng, km, 0, half - 1);
      if (!probe_placed && static_cast<int64_t>(tokens.size()) >= probe_at) key = probe_key;
      auto it = value_of.find(key);
      const Motif value = it != value_of.end() ? it->second : draw_motif(rng, vm, half, K - 1);
      if (static_cast<int64_t>(tokens.size() + key.size() + value.size()) > room) break;
      value_of[key] = value;
      probe_placed = probe_placed || key == probe_key;
      emit(key, value, shown[key]);
      shown[key] = true;
    }
    if (!probe_placed) {  // a long first motif can leave no room before probe_at: place it now
      tokens.clear(), scored.clear(), shown.clear();
      emit(probe_key, probe_value, false);
      shown[probe_key] = true;
    }
    emit(probe_key, probe_value, true);
    // Left-pad to T + 1 tokens; input t is token t, the target at t is token t + 1 when scored.
    const int64_t padding = T + 1 - static_cast<int64_t>(tokens.size());
    for (int64_t t = 0; t < T; ++t) {
      const int64_t i = t - padding;
      x[t] = i < 0 ? pad : tokens[i];
      if (i + 1 >= 0 && scored[i + 1]) y[t] = tokens[i + 1];
    }
  });
}

}  // namespace star::train
