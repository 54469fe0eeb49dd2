#pragma once
// The objectives a run may minimise ([evolution] objectives), each written once: its name, what
// it measures, and its value from an evaluation record. The configuration's check, its reference
// and selection (search/objectives.hpp, which adds what feasibility means) all read this table.
#include <string>
#include <vector>

#include "core/eval_result.hpp"

namespace star::train {

struct Objective {
  const char* name;
  const char* description;
  double (*value)(const EvalResult& result);  // as measured; search/objectives.hpp adds feasibility
  bool measured_inference = false;  // timed on the device (train/inference_timing.hpp), not a formula
};

// quality (held-out loss), params, cache, prefill_latency, decode_latency, inference_memory, in
// that order.
const std::vector<Objective>& objectives();
// nullptr for a name that is none of them.
const Objective* find_objective(const std::string& name);
// "quality, params, cache": the names, for messages.
std::string objective_names_text();

constexpr const char* kQualityObjective = "quality";

}  // namespace star::train
