#include "core/eval_result.hpp"

#include <stdexcept>

namespace star::train {
namespace {

// Every status with its name, in enum order: the one list both directions read.
struct StatusName {
  EvalStatus status;
  const char* name;
};
constexpr StatusName kStatusNames[] = {
    {EvalStatus::ok, "ok"},           {EvalStatus::diverged, "diverged"}, {EvalStatus::oom, "oom"},
    {EvalStatus::failed, "failed"},   {EvalStatus::timeout, "timeout"},   {EvalStatus::stopped, "stopped"},
    {EvalStatus::interrupted, "interrupted"},
};

}  // namespace

const char* to_string(EvalStatus status) {
  for (const auto& entry : kStatusNames)
    if (entry.status == status) return entry.name;
  return "failed";
}

EvalStatus eval_status_from_string(const std::string& name) {
  for (const auto& entry : kStatusNames)
    if (name == entry.name) return entry.status;
  throw std::invalid_argument("unknown evaluation status \"" + name + "\"");
}

const std::vector<EvalResultField>& eval_result_fields() {
  static const std::vector<EvalResultField> fields = {
      {"status", &EvalResult::status, 1},
      {"loss", &EvalResult::loss, 1},
      {"accuracy", &EvalResult::accuracy, 1},
      {"parameters", &EvalResult::parameters, 1},
      {"cache_bytes", &EvalResult::cache_bytes, 1},
      {"tokens", &EvalResult::tokens, 1},
      {"seconds", &EvalResult::seconds, 1},
      {"tokens_per_second", &EvalResult::tokens_per_second, 1},
      {"peak_memory_bytes", &EvalResult::peak_memory_bytes, 2},
      {"loss_curve", &EvalResult::loss_curve, 2},
      {"message", &EvalResult::message, 1},
      {"fidelity", &EvalResult::fidelity, 3},
      {"hurdle_losses", &EvalResult::hurdle_losses, 3},
      {"micro_batch_size", &EvalResult::micro_batch_size, 3},
      {"prefill_ms", &EvalResult::prefill_ms, 4},
      {"decode_ms", &EvalResult::decode_ms, 4},
      {"inference_memory_bytes", &EvalResult::inference_memory_bytes, 4},
      {"gate_mean", &EvalResult::gate_mean, 4},
      {"gate_skip_share", &EvalResult::gate_skip_share, 4},
      {"skip_compute_saved", &EvalResult::skip_compute_saved, 4},
      {"skip_loss_change", &EvalResult::skip_loss_change, 4},
  };
  return fields;
}

}  // namespace star::train
