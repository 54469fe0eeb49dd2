#include "app/search.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "app/hypervolume_record.hpp"
#include "app/selection.hpp"
#include "evolve/firefly.hpp"
#include "evolve/generational_survival.hpp"
#include "evolve/offspring.hpp"
#include "evolve/scalar_ranking.hpp"
#include "evolve/survival.hpp"
#include "genome/genome.hpp"

namespace star::app {
namespace {

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
    out = initial_candidates(config_, rng_);
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
    const auto settings = variation_settings(evolution);
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
                                                        const std::map<std::string, train::EvalResult>& new_results,
                                                        double elapsed_seconds) {
  io::GenerationRecord record;
  record.index = next_generation();
  record.elapsed_seconds = elapsed_seconds;
  reused_ = 0;
  for (const auto& [text, result] : new_results) archive_[text] = result;
  for (const auto& text : candidates) {
    auto it = archive_.find(text);
    if (it == archive_.end()) throw std::logic_error("no result for candidate " + text);
    if (!new_results.count(text)) ++reused_;
    record.evaluated.push_back(make_individual(text, it->second, config_.evolution));
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
  store_ranking(record.population, evolution);
  record.rng_state = genome::rng_state(rng_);
  history_.generations.push_back(std::move(record));
  record_hypervolumes(history_, config_, history_.generations.size() - 1);
  return history_.generations.back();
}

}  // namespace star::app
