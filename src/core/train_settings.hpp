#pragma once
// How a candidate is trained and which synthetic task it is trained on. Plain data.
#include <cstdint>
#include <string>
#include <vector>

namespace star::train {

// One synthetic task (tasks.hpp lists the kinds; mad_baseline gives each kind's MAD sizes).
struct TaskConfig {
  std::string kind = "in_context_recall";
  int64_t vocab_size = 16;       // MAD default: keys from the lower half, values from the upper half
  int64_t seq_len = 128;
  int64_t train_examples = 12800;
  int64_t test_examples = 1280;
  uint64_t seed = 1234;          // the data set is a pure function of this seed and the sizes
  int64_t noise_vocab_size = 0;  // noisy in-context recall: the last ids of the vocabulary are noise
  double frac_noise = 0;         // noisy in-context recall: share of pairs replaced by noise
  int64_t k_motif_size = 3;      // fuzzy in-context recall: longest key, in tokens
  int64_t v_motif_size = 3;      // fuzzy in-context recall: longest value, in tokens
  int64_t tokens_to_copy = 16;   // selective copying
  std::string train_shards;      // shards: glob of the training token shards (llm.c format)
  std::string val_shards;        // shards: glob of the validation token shards
};

// A point of [train] hurdles: once `fraction` of its token budget is trained, a genome whose
// training loss there is worse than the `percentile`th percentile of the run's genomes at that
// point stops (see core/hurdles.hpp).
struct Hurdle {
  double fraction = 0.5;    // in (0, 1), increasing from one hurdle to the next
  double percentile = 50;   // in [0, 100]
};

struct TrainSettings {
  int64_t token_budget = 200000;  // tokens per genome (whole group), rounded down to whole steps
  int64_t batch_size = 32;        // sequences per optimizer step (whole group)
  int64_t micro_batch_size = 0;   // sequences per forward pass on a rank (gradient accumulation); 0 = its whole share
  double learning_rate = 8e-4;    // peak, as in the STAR paper
  double min_lr_ratio = 0.1;      // cosine decays to this fraction of the peak
  double warmup_fraction = 0.1;   // of the steps, linear from 0
  double weight_decay = 0.1;
  double beta1 = 0.9, beta2 = 0.95;
  double grad_clip = 1.0;         // max global gradient norm; 0 disables
  double divergence_loss = 1e3;   // a training loss above this (or NaN) stops the genome as diverged
  double max_seconds = 0;         // a training still running after this wall time stops as timeout; 0 = no limit
  std::string precision = "auto"; // auto (bf16 autocast on a GPU, fp32 on the CPU), bf16 or fp32
  std::string cuda_graphs = "auto";  // auto: on a GPU, a one-rank group replays each step as a CUDA graph; off: eager
  std::vector<Hurdle> hurdles;    // none: every genome trains on its whole budget
};

}  // namespace star::train

namespace star::train {

// How the efficiency objectives are measured.
struct MetricSettings {
  int64_t cache_seq_len = 0;        // sequence length of the inference cache; 0 = the task's
  int64_t cache_bytes_per_value = 2;  // 2: bf16 inference
  // The measured inference objectives' conditions (train/inference_timing.hpp).
  int64_t prefill_tokens = 512;     // prefill_latency: a prompt of this many tokens
  int64_t decode_context = 4096;    // decode_latency: tokens in the cache before the timed steps
  int64_t decode_batch = 1;         // sequences prefilled and decoded together
  int64_t inference_repeats = 5;    // timed repeats (the median is kept)
  int64_t inference_warmup = 2;     // untimed repeats before them
  bool inference_requires_gpu = true;  // refuse measured objectives on a run without a GPU
};

}  // namespace star::train
