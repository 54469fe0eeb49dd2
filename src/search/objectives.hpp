#pragma once
// From an evaluation to the minimised objective values selection compares, and to how far it
// is from feasible.
#include <cstdint>
#include <string>
#include <vector>

#include "core/eval_result.hpp"
#include "io/config.hpp"

namespace star::search {

// quality: held-out loss; params: parameter count; cache: inference cache bytes. A failed
// evaluation gets +infinity for quality (and is infeasible for selection anyway); one a hurdle
// stopped keeps its loss (from fewer tokens than the others').
std::vector<double> objective_values(const train::EvalResult& result, const std::vector<std::string>& names);

// A genome's objective values at a hurdle ([train] hurdles): its objective values with quality
// the training loss it had there.
std::vector<double> hurdle_point(const train::EvalResult& result, double loss, const std::vector<std::string>& names);

// How far a result is outside the run's budgets ([evolution] max_params, max_cache_bytes,
// max_prefill_ms, max_decode_ms, max_inference_bytes; 0 = a budget of none): the sum over them of
// the relative excess, max(0, parameters / max_params - 1) and the same for the others, so 0.1
// means 10% over one budget whatever its unit. +infinity for a failed training. 0 = feasible.
// A genome a hurdle stopped ([train] hurdles) ranks behind every genome that trained to the end,
// over its budgets or not, and ahead of every failed one; among the stopped, by loss: its
// violation is kStoppedAtHurdle + its held-out loss.
constexpr double kStoppedAtHurdle = 1e9;
double constraint_violation(const train::EvalResult& result, const io::EvolutionSettings& budgets);

}  // namespace star::search
