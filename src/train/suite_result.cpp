#include "train/suite_result.hpp"

#include <algorithm>
#include <stdexcept>

namespace star::train {
namespace {

// Element-wise mean of curves of possibly different lengths (a training cut short, or one of
// fewer steps than points).
std::vector<double> mean_curve(const std::vector<EvalResult>& results) {
  std::vector<double> sums;
  std::vector<int> counts;
  for (const auto& r : results) {
    const size_t points = r.loss_curve.size();
    if (points > sums.size()) {
      sums.resize(points);
      counts.resize(points);
    }
    for (size_t i = 0; i < points; ++i) {
      sums[i] += r.loss_curve[i];
      ++counts[i];
    }
  }
  for (size_t i = 0; i < sums.size(); ++i) sums[i] /= counts[i];
  return sums;
}

}  // namespace

EvalResult combine_task_results(const std::vector<std::string>& kinds, const std::vector<EvalResult>& results) {
  if (results.empty() || results.size() > kinds.size())
    throw std::invalid_argument("combine_task_results: " + std::to_string(results.size()) + " results for " +
                                std::to_string(kinds.size()) + " tasks");
  EvalResult out;
  out.status = EvalStatus::ok;
  out.loss = out.accuracy = out.fidelity = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    out.loss += r.loss;
    out.accuracy += r.accuracy;
    out.tokens += r.tokens;
    out.seconds += r.seconds;
    out.peak_memory_bytes = std::max(out.peak_memory_bytes, r.peak_memory_bytes);
    out.fidelity += r.fidelity / static_cast<double>(kinds.size());  // a task never started: 0
    out.hurdle_losses.insert(out.hurdle_losses.end(), r.hurdle_losses.begin(), r.hurdle_losses.end());
    out.micro_batch_size = i == 0 ? r.micro_batch_size : std::min(out.micro_batch_size, r.micro_batch_size);
    if (out.status == EvalStatus::ok && r.status != EvalStatus::ok) {
      out.status = r.status;
      out.message = kinds[i] + (r.message.empty() ? "" : ": " + r.message);
    }
  }
  const auto n = static_cast<double>(results.size());
  out.loss /= n;
  out.accuracy /= n;
  out.parameters = results.front().parameters;
  out.cache_bytes = results.front().cache_bytes;
  out.prefill_ms = results.front().prefill_ms;  // measured on the first task's model, as the cache
  out.decode_ms = results.front().decode_ms;
  out.inference_memory_bytes = results.front().inference_memory_bytes;
  out.tokens_per_second = out.seconds > 0 ? static_cast<double>(out.tokens) / out.seconds : 0.0;
  out.loss_curve = mean_curve(results);
  return out;
}

}  // namespace star::train
