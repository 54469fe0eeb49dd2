#include "core/objectives.hpp"

namespace star::train {

const std::vector<Objective>& objectives() {
  static const std::vector<Objective> table = {
      {kQualityObjective, "held-out loss",
       [](const EvalResult& r) { return r.loss; }},
      {"params", "parameter count", [](const EvalResult& r) { return static_cast<double>(r.parameters); }},
      {"cache", "inference cache bytes per sequence",
       [](const EvalResult& r) { return static_cast<double>(r.cache_bytes); }},
      {"prefill_latency", "measured ms to prefill [metrics] prefill_tokens",
       [](const EvalResult& r) { return r.prefill_ms; }, true},
      {"decode_latency", "measured ms per token decoded at [metrics] decode_context",
       [](const EvalResult& r) { return r.decode_ms; }, true},
      {"inference_memory", "measured peak bytes during decode",
       [](const EvalResult& r) { return static_cast<double>(r.inference_memory_bytes); }, true},
  };
  return table;
}

const Objective* find_objective(const std::string& name) {
  for (const auto& objective : objectives())
    if (name == objective.name) return &objective;
  return nullptr;
}

std::string objective_names_text() {
  std::string text;
  for (const auto& objective : objectives()) text += (text.empty() ? "" : ", ") + std::string(objective.name);
  return text;
}

}  // namespace star::train
