#include "app/search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "app/hypervolume_record.hpp"
#include "app/objectives.hpp"
#include "evolve/firefly.hpp"
#include "evolve/generational_survival.hpp"
#include "evolve/offspring.hpp"
#include "evolve/scalar_ranking.hpp"
#include "evolve/survival.hpp"
#include "genome/genome.hpp"
#include "genome/repair.hpp"
#include "genome/sampling.hpp"

namespace star::app {
namespace {

// NSGA-II compares finite numbers; an infeasible genome's infinite quality becomes the largest
// finite value (it ranks behind every feasible genome anyway).
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
    v.push_back(constraint_violation(p.result, evolution.max_params, evolution.max_cache_bytes));
  return v;
}

// The GA's and the firefly algorithm's fitness: the weighted sum, under the budgets.
evolve::Ranking scalar_ranking(const std::vector<io::Individual>& people, const io::EvolutionSettings& evolution) {
  return evolve::scalar_ranking(evolve::weighted_sum(selection_matrix(people), evolution.weights),
                                violations(people, evolution));
}

}  // namespace

Search::Search(const io::Config& config, io::RunHistory history) : config_(config), history_(std::move(history)) {
  history_.config_text = config_.text;
  history_.objective_names = config_.evolution.objectives;
  rng_.seed(config_.run.seed);
  if (!history_.generations.empty()) genome::restore_rng_state(rng_, history_.generations.back().rng_state);
  for (const auto& g : history_.generations)
    for (const auto& p : g.evaluated) archive_.emplace(p.genome, p.result);
  record_hypervolumes(history_, config_, 0);  // files of format 1 have none; the rest get the same values again
}

std::vector<std::string> Search::draw_candidates() {
  const int n = config_.evolution.population;
  std::vector<std::string> out;
  if (history_.generations.empty()) {
    std::set<std::string> seen;
    for (const auto& text : config_.evolution.initial_genomes) {
      const std::string canonical = genome::to_text(genome::parse_genome(text));
      if (seen.insert(canonical).second) out.push_back(canonical);
    }
    // Distinct random genomes; a small space may not have enough, then duplicates are allowed.
    for (int attempts = 0; static_cast<int>(out.size()) < n; ++attempts) {
      const std::string text = genome::to_text(genome::sample_genome(config_.genome, rng_));
      if (seen.insert(text).second || attempts > 100 * n) out.push_back(text);
    }
    return out;
  }
  const auto& evolution = config_.evolution;
  const auto& parents_rec = history_.generations.back().population;
  std::vector<genome::Genome> parents;
  evolve::Ranking ranking;  // NSGA-II's, as stored with the population
  for (const auto& p : parents_rec) {
    parents.push_back(genome::parse_genome(p.genome));
    ranking.front_rank.push_back(p.front_rank);
    ranking.crowding.push_back(p.crowding);
  }
  std::vector<genome::Genome> fresh;
  if (evolution.algorithm == "firefly") {
    evolve::FireflySettings settings{evolution.firefly_beta0, evolution.firefly_gamma, evolution.firefly_alpha};
    fresh = evolve::move_fireflies(parents, scalar_ranking(parents_rec, evolution), evolution.elite_count,
                                   config_.genome, settings, rng_);
  } else {
    evolve::VariationSettings settings;
    settings.tournament_size = evolution.tournament_size;
    settings.crossover_points = evolution.crossover_points;
    settings.mutation_rate = evolution.mutation_rate;
    if (evolution.algorithm == "ga") {
      // The elites carry over: only the rest of the population is new.
      const int children = n - std::min<int>(evolution.elite_count, static_cast<int>(parents.size()));
      fresh = evolve::make_offspring(parents, scalar_ranking(parents_rec, evolution), children, config_.genome,
                                     settings, rng_);
    } else {
      fresh = evolve::make_offspring(parents, ranking, n, config_.genome, settings, rng_);
    }
  }
  for (const auto& g : fresh) out.push_back(genome::to_text(g));
  return out;
}

std::vector<std::string> Search::untrained(const std::vector<std::string>& candidates) const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& c : candidates)
    if (!archive_.count(c) && seen.insert(c).second) out.push_back(c);
  return out;
}

const io::GenerationRecord& Search::complete_generation(const std::vector<std::string>& candidates,
                                                        const std::map<std::string, train::EvalResult>& new_results) {
  io::GenerationRecord record;
  record.index = next_generation();
  reused_ = 0;
  for (const auto& [text, result] : new_results) archive_[text] = result;
  for (const auto& text : candidates) {
    auto it = archive_.find(text);
    if (it == archive_.end()) throw std::logic_error("no result for candidate " + text);
    if (!new_results.count(text)) ++reused_;
    io::Individual p;
    p.genome = text;
    p.result = it->second;
    p.objectives = objective_values(p.result, config_.evolution.objectives);
    record.evaluated.push_back(p);
  }

  // Survivors come from the parents and the new candidates together: NSGA-II's (mu + lambda)
  // elitism, or the GA's and firefly's replacement of all but the elite parents.
  const auto& evolution = config_.evolution;
  std::vector<io::Individual> pool = record.evaluated;
  int parent_count = 0;
  if (!history_.generations.empty()) {
    const auto& parents = history_.generations.back().population;
    pool.insert(pool.begin(), parents.begin(), parents.end());
    parent_count = static_cast<int>(parents.size());
  }
  const auto keep =
      evolution.algorithm == "nsga2"
          ? evolve::nsga2_survival(selection_matrix(pool), violations(pool, evolution), evolution.population)
          : evolve::generational_survival(evolve::weighted_sum(selection_matrix(pool), evolution.weights),
                                          violations(pool, evolution), parent_count, evolution.elite_count);
  for (int i : keep) record.population.push_back(pool[i]);
  // Every algorithm stores NSGA-II's ranking of its population: the Pareto view the report draws.
  const auto ranking =
      evolve::rank_population(selection_matrix(record.population), violations(record.population, evolution));
  for (size_t i = 0; i < record.population.size(); ++i) {
    record.population[i].front_rank = ranking.front_rank[i];
    record.population[i].crowding = ranking.crowding[i];
  }
  record.rng_state = genome::rng_state(rng_);
  history_.generations.push_back(std::move(record));
  record_hypervolumes(history_, config_, history_.generations.size() - 1);
  return history_.generations.back();
}

}  // namespace star::app
