#include "search/hypervolume_record.hpp"

#include <algorithm>

#include "evolve/hypervolume.hpp"
#include "search/objectives.hpp"

namespace star::search {
namespace {

std::vector<double> reference_from(const std::vector<io::Individual>& evaluated, const io::EvolutionSettings& evolution) {
  std::vector<double> worst;
  for (const auto& p : evaluated) {
    if (!within_budgets(p, evolution)) continue;
    if (worst.empty()) worst = p.objectives;
    for (size_t m = 0; m < worst.size(); ++m) worst[m] = std::max(worst[m], p.objectives[m]);
  }
  for (auto& w : worst) w *= 1.1;
  return worst;
}

}  // namespace

bool within_budgets(const io::Individual& p, const io::EvolutionSettings& evolution) {
  return constraint_violation(p.result, evolution) == 0;
}

void record_hypervolumes(io::RunHistory& history, const io::Config& config, size_t first) {
  const auto& evolution = config.evolution;
  if (history.hypervolume_reference.empty()) history.hypervolume_reference = evolution.reference_point;
  for (size_t g = 0; g < history.generations.size() && history.hypervolume_reference.empty(); ++g)
    history.hypervolume_reference = reference_from(history.generations[g].evaluated, evolution);
  for (size_t g = first; g < history.generations.size(); ++g) {
    auto& record = history.generations[g];
    record.hypervolume = 0;
    if (history.hypervolume_reference.empty()) continue;
    evolve::ObjectiveMatrix feasible;
    for (const auto& p : record.population)
      if (within_budgets(p, evolution)) feasible.push_back(p.objectives);
    record.hypervolume = evolve::hypervolume(feasible, history.hypervolume_reference);
  }
}

}  // namespace star::search
