#include "search/objectives.hpp"

#include "core/objectives.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace star::search {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// A genome a hurdle stopped has a finite loss, from a shorter training than the others'.
bool stopped_at_hurdle(const train::EvalResult& r) {
  return r.status == train::EvalStatus::stopped && std::isfinite(r.loss);
}

}  // namespace

std::vector<double> objective_values(const train::EvalResult& r, const std::vector<std::string>& names) {
  std::vector<double> values;
  for (const auto& name : names) {
    const auto* objective = train::find_objective(name);
    if (!objective) throw std::invalid_argument("unknown objective \"" + name + "\"");
    const bool measured = name != train::kQualityObjective || r.feasible() || stopped_at_hurdle(r);
    values.push_back(measured ? objective->value(r) : kInfinity);
  }
  return values;
}

std::vector<double> hurdle_point(const train::EvalResult& result, double loss, const std::vector<std::string>& names) {
  auto values = objective_values(result, names);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == train::kQualityObjective) values[i] = loss;
  return values;
}

double constraint_violation(const train::EvalResult& r, const io::EvolutionSettings& b) {
  if (stopped_at_hurdle(r)) return kStoppedAtHurdle + r.loss;
  if (!r.feasible()) return kInfinity;
  auto excess = [](double value, double budget) { return budget > 0 && value > budget ? value / budget - 1 : 0.0; };
  auto d = [](int64_t v) { return static_cast<double>(v); };
  return excess(d(r.parameters), d(b.max_params)) + excess(d(r.cache_bytes), d(b.max_cache_bytes)) +
         excess(r.prefill_ms, b.max_prefill_ms) + excess(r.decode_ms, b.max_decode_ms) +
         excess(d(r.inference_memory_bytes), d(b.max_inference_bytes));
}

}  // namespace star::search
