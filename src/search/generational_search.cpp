#include "search/generational_search.hpp"

#include <set>
#include <stdexcept>

#include "genome/genome.hpp"
#include "search/hypervolume_record.hpp"
#include "search/selection.hpp"

namespace star::search {
namespace {

// The individuals as the algorithm compares them: genome, objective row and violation.
std::vector<Member<genome::Genome>> members(const std::vector<io::Individual>& people,
                                            const io::EvolutionSettings& evolution) {
  const auto f = selection_matrix(people);
  const auto v = violations(people, evolution);
  std::vector<Member<genome::Genome>> out;
  for (size_t i = 0; i < people.size(); ++i) out.push_back({genome::parse_genome(people[i].genome), f[i], v[i]});
  return out;
}

}  // namespace

GenerationalSearch::GenerationalSearch(const io::Config& config, io::RunHistory history)
    : config_(config), history_(std::move(history)), algorithm_(make_genome_algorithm(config_)) {
  history_.config_text = config_.text;
  history_.objective_names = config_.evolution.objectives;
  rng_.seed(config_.run.seed);
  if (!history_.generations.empty()) {
    genome::restore_rng_state(rng_, history_.generations.back().rng_state);
    algorithm_->restore(members(history_.generations.back().population, config_.evolution));
  }
  for (const auto& g : history_.generations)
    for (const auto& p : g.evaluated) archive_.emplace(p.genome, p.result);
  record_hypervolumes(history_, config_, 0);  // files of format 1 have none; the rest get the same values again
}

std::vector<std::string> GenerationalSearch::draw_candidates() {
  std::vector<std::string> out;
  for (const auto& g : algorithm_->ask(rng_)) out.push_back(genome::to_text(g));
  return out;
}

std::vector<std::string> GenerationalSearch::untrained(const std::vector<std::string>& candidates) const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& c : candidates)
    if (!archive_.count(c) && seen.insert(c).second) out.push_back(c);
  return out;
}

const io::GenerationRecord& GenerationalSearch::complete_generation(
    const std::vector<std::string>& candidates, const std::map<std::string, train::EvalResult>& new_results,
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

  // The algorithm selects from the parents and the new candidates together (NSGA-II's
  // (mu + lambda) elitism, or the GA's and firefly's replacement of all but the elite parents);
  // its pool is in this order, so its survivors index these records.
  std::vector<io::Individual> pool;
  if (!history_.generations.empty()) pool = history_.generations.back().population;
  pool.insert(pool.end(), record.evaluated.begin(), record.evaluated.end());
  for (int i : algorithm_->tell(members(record.evaluated, config_.evolution)))
    record.population.push_back(pool[static_cast<size_t>(i)]);
  // Every algorithm stores NSGA-II's ranking of its population: the Pareto view the report draws.
  store_ranking(record.population, config_.evolution);
  record.rng_state = genome::rng_state(rng_);
  history_.generations.push_back(std::move(record));
  record_hypervolumes(history_, config_, history_.generations.size() - 1);
  return history_.generations.back();
}

}  // namespace star::search
