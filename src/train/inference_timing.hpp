#pragma once
// Inference cost measured on a device, not predicted by a formula (the LFM2 report's lesson:
// cache size and parameter count did not transfer to latency and memory on real hardware):
//
//   prefill_ms   the median time of a prefill of `prompt_tokens` random tokens, batch `batch`
//   decode_ms    the median time of one decode step of the batch, after a prefill of `context`
//                tokens (each timed step adds one more)
//   peak_bytes   the peak memory while decoding: weights, cache and temporaries (on a GPU, torch's
//                allocator's peak; on the CPU the process's peak resident set so far, an upper
//                bound)
//
// Each measurement runs `warmup` untimed times first. The device is synchronised around every
// timed call, so a time is the whole call's. bf16: under autocast, as the training ran.
#include <cstdint>

#include <torch/torch.h>

#include "core/train_settings.hpp"
#include "model/backbone.hpp"

namespace star::train {

struct InferenceConditions {
  int64_t prompt_tokens = 512;
  int64_t context = 4096;
  int64_t batch = 1;
  int64_t repeats = 5;
  int64_t warmup = 2;
};
InferenceConditions inference_conditions(const MetricSettings& metrics);

struct InferenceCost {
  double prefill_ms = 0;
  double decode_ms = 0;
  int64_t peak_bytes = 0;
};

// `vocab_size`: the model's (the random tokens are drawn below it).
InferenceCost measure_inference(model::Backbone& net, const InferenceConditions& conditions, int64_t vocab_size,
                                const torch::Device& device, bool bf16);

}  // namespace star::train
