#include "search/selection.hpp"

#include <cmath>
#include <limits>
#include <set>

#include "evolve/survival.hpp"
#include "genome/genome.hpp"
#include "genome/sampling.hpp"
#include "search/objectives.hpp"

namespace star::search {

evolve::ObjectiveMatrix selection_matrix(const std::vector<io::Individual>& people) {
  evolve::ObjectiveMatrix f;
  for (const auto& p : people) {
    std::vector<double> row = p.objectives;
    for (auto& v : row)
      if (!std::isfinite(v)) v = std::numeric_limits<double>::max();
    f.push_back(row);
  }
  return f;
}

evolve::Violations violations(const std::vector<io::Individual>& people, const io::EvolutionSettings& evolution) {
  evolve::Violations v;
  for (const auto& p : people)
    v.push_back(constraint_violation(p.result, evolution));
  return v;
}

void store_ranking(std::vector<io::Individual>& population, const io::EvolutionSettings& evolution) {
  const auto ranking = evolve::rank_population(selection_matrix(population), violations(population, evolution));
  for (size_t i = 0; i < population.size(); ++i) {
    population[i].front_rank = ranking.front_rank[i];
    population[i].crowding = ranking.crowding[i];
  }
}

std::vector<std::string> initial_candidates(const io::Config& config, genome::Rng& rng) {
  const int n = config.evolution.population;
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& text : config.evolution.initial_genomes) {
    const std::string canonical = genome::to_text(genome::parse_genome(text));
    if (seen.insert(canonical).second) out.push_back(canonical);
  }
  for (int attempts = 0; static_cast<int>(out.size()) < n; ++attempts) {
    const std::string text = genome::to_text(genome::sample_genome(config.genome, rng));
    if (seen.insert(text).second || attempts > 100 * n) out.push_back(text);
  }
  return out;
}

evolve::VariationSettings variation_settings(const io::EvolutionSettings& evolution) {
  evolve::VariationSettings settings;
  settings.tournament_size = evolution.tournament_size;
  settings.crossover_points = evolution.crossover_points;
  settings.mutation_rate = evolution.mutation_rate;
  return settings;
}

io::Individual make_individual(const std::string& genome, const train::EvalResult& result,
                               const io::EvolutionSettings& evolution) {
  io::Individual p;
  p.genome = genome;
  p.result = result;
  p.objectives = objective_values(result, evolution.objectives);
  return p;
}

}  // namespace star::search
