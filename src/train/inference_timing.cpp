#include "train/inference_timing.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "train/device_memory.hpp"
#include "train/precision.hpp"

namespace star::train {
namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// The milliseconds `work` takes, the device synchronised before and after.
template <class Work>
double timed_ms(const torch::Device& device, Work work) {
  synchronize(device);
  const auto start = Clock::now();
  work();
  synchronize(device);
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

InferenceConditions inference_conditions(const MetricSettings& m) {
  return {m.prefill_tokens, m.decode_context, m.decode_batch, m.inference_repeats, m.inference_warmup};
}

InferenceCost measure_inference(model::Backbone& net, const InferenceConditions& c, int64_t vocab_size,
                                const torch::Device& device, bool bf16) {
  const bool was_training = net->is_training();
  net->eval();
  torch::NoGradGuard no_grad;
  AutocastScope autocast(device, bf16);
  // Tokens from a generator of their own: measuring leaves torch's random stream (a training's
  // batches) as it was.
  auto generator = at::detail::createCPUGenerator(/*seed_in=*/0);
  auto random_tokens = [&](std::vector<int64_t> sizes) {
    return torch::randint(0, vocab_size, sizes, generator, torch::kInt64).to(device);
  };
  InferenceCost cost;

  std::vector<double> prefill;
  for (int64_t r = 0; r < c.warmup + c.repeats; ++r) {
    const auto prompt = random_tokens({c.batch, c.prompt_tokens});
    model::InferenceCache cache(c.prompt_tokens);
    const double ms = timed_ms(device, [&] { net->prefill(prompt, cache); });
    if (r >= c.warmup) prefill.push_back(ms);
  }
  cost.prefill_ms = median(prefill);

  // One prefill of the context, then the steps; the peak counts from the first step (the weights
  // and the cache are held by then).
  const int64_t steps = c.warmup + c.repeats;
  model::InferenceCache cache(c.context + steps);
  net->prefill(random_tokens({c.batch, c.context}), cache);
  synchronize(device);
  reset_peak_memory(device);
  std::vector<double> decode;
  for (int64_t r = 0; r < steps; ++r) {
    const auto token = random_tokens({c.batch, 1});
    const double ms = timed_ms(device, [&] { net->decode(token, cache); });
    if (r >= c.warmup) decode.push_back(ms);
  }
  cost.decode_ms = median(decode);
  cost.peak_bytes = peak_memory_bytes(device);
  if (was_training) net->train();
  return cost;
}

}  // namespace star::train
