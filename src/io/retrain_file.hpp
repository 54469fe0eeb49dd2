#pragma once
// The HDF5 file of `star retrain` (<run dir>/retrain/retrain.h5): the STAR protocol after a
// search. The best genomes of the final front and the baselines, each trained again for several
// times the search's token budget and scored on held-out text.
//
//   /            attrs: format = "star-retrain", format_version, results (the search's results
//                file), heldout (glob of the held-out shards), heldout_windows, seq_len,
//                token_budget (per genome), budget_factor, top_k, cache_lengths (int64 pair: the
//                two lengths the cache is given at), cache_bytes_per_value, seeds (trainings
//                of each genome; absent in files written before it: 1)
//   /config      the search's TOML text (string)
//   /genomes/    one row per training, in training order; a row's status is "pending" until it
//                is trained. Columns: name role genome status message (strings); seed (int64,
//                1..seeds; absent: 1); front_rank
//                (-1: not in the search's final population), parameters, cache_bytes_short,
//                cache_bytes_long, tokens (int64); search_loss (the search's quality of the
//                genome, NaN when the search never trained it), loss (held-out, nats/token),
//                accuracy, seconds, tokens_per_second (double); loss_curve [n, 32] (double, NaN
//                after a curve's last point)
//
// Built in memory and written whole to <path>.tmp, synced and renamed into place after every
// genome (io/atomic_file.hpp), so a job killed at any moment leaves the file of the genomes
// finished before it, and a full disk is a WriteError naming the file.
#include <cstdint>
#include <string>
#include <vector>

#include "core/eval_result.hpp"

namespace star::io {

struct RetrainEntry {
  std::string name;         // e.g. "front-1", or a baseline's name ("transformer++")
  std::string role;         // "front", "baseline", or "front+baseline" (a baseline on the front)
  std::string genome;       // canonical text
  int seed = 1;             // which of the record's `seeds` trainings of the genome (1: the seed star train uses)
  int front_rank = -1;      // in the search's final population
  double search_loss = 0;   // NaN: the search never trained it
  bool pending = true;      // not trained yet (status "pending" in the file)
  train::EvalResult result; // the retraining: held-out loss and accuracy, parameters, tokens, time, curve
  int64_t cache_bytes_short = 0, cache_bytes_long = 0;  // at cache_lengths[0] and [1]
};

struct RetrainRecord {
  std::string results;        // the search's results file
  std::string config_text;    // the search's TOML
  std::string heldout;        // glob of the held-out shards
  int64_t heldout_windows = 0, seq_len = 0, token_budget = 0, top_k = 0;
  int64_t seeds = 1;          // trainings of each genome (rows: every genome's seed 1, then seed 2, ...)
  double budget_factor = 0;
  int64_t cache_lengths[2] = {4096, 32768};
  int64_t cache_bytes_per_value = 2;
  std::vector<RetrainEntry> genomes;

  // The settings and genome list of another record differ from this one's: what, or empty when
  // they are the same (a resume must not mix two retrainings in one file).
  std::string difference(const RetrainRecord& other) const;
};

void write_retrain(const std::string& path, const RetrainRecord& record);
RetrainRecord read_retrain(const std::string& path);  // throws std::runtime_error naming the file

}  // namespace star::io
