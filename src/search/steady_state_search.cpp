#include "search/steady_state_search.hpp"

#include <cinttypes>
#include <cstdio>
#include <stdexcept>

#include "evolve/offspring.hpp"
#include "evolve/survival.hpp"
#include "genome/genome.hpp"
#include "genome/sampling.hpp"
#include "io/checksum.hpp"
#include "search/hypervolume_record.hpp"
#include "search/selection.hpp"

namespace star::search {

SteadyStateSearch::SteadyStateSearch(const io::Config& config) : config_(config) {
  history_.config_text = config_.text;
  history_.objective_names = config_.evolution.objectives;
  rng_.seed(config_.run.seed);
  initial_ = initial_candidates(config_, rng_);
  budget_ = static_cast<long long>(config_.evolution.population) * config_.evolution.generations;
}

std::string SteadyStateSearch::breed() {
  if (population_.empty()) return genome::to_text(genome::sample_genome(config_.genome, rng_));
  std::vector<genome::Genome> parents;
  evolve::Ranking ranking;
  for (const auto& p : population_) {
    parents.push_back(genome::parse_genome(p.genome));
    ranking.front_rank.push_back(p.front_rank);
    ranking.crowding.push_back(p.crowding);
  }
  return genome::to_text(
      evolve::make_offspring(parents, ranking, 1, config_.genome, variation_settings(config_.evolution), rng_).at(0));
}

bool SteadyStateSearch::is_out(const std::string& genome) const {
  for (const auto& [seq, text] : out_)
    if (text == genome) return true;
  return false;
}

std::string SteadyStateSearch::hand_out() {
  if (!can_hand_out()) throw std::logic_error("steady-state search: the budget is handed out");
  std::string genome;
  if (handed_out_ < static_cast<long long>(initial_.size())) {
    genome = initial_[static_cast<size_t>(handed_out_)];
  } else {
    genome = breed();
    for (int redraw = 0; redraw < 20 && (evaluated_.count(genome) || is_out(genome)); ++redraw)
      genome = breed();
  }
  const int seq = static_cast<int>(handed_out_++);
  history_.events.push_back({seq, false, genome});
  out_[seq] = genome;
  return genome;
}

const io::GenerationRecord* SteadyStateSearch::receive(int seq, const std::string& genome,
                                                       const train::EvalResult& result, double elapsed_seconds) {
  if (result.status == train::EvalStatus::interrupted)
    throw std::logic_error("steady-state search: an interrupted training is not a result");
  auto flight = out_.find(seq);
  if (flight == out_.end() || flight->second != genome)
    throw std::logic_error("steady-state search: " + genome + " was not handed out as " + std::to_string(seq));
  out_.erase(flight);
  evaluated_.insert(genome);
  ++received_;
  history_.events.push_back({seq, true, genome});

  const auto& evolution = config_.evolution;
  arrived_.push_back(make_individual(genome, result, evolution));
  auto pool = population_;
  pool.push_back(arrived_.back());
  std::vector<io::Individual> kept;
  for (int i : evolve::nsga2_survival(selection_matrix(pool), violations(pool, evolution), evolution.population))
    kept.push_back(std::move(pool[static_cast<size_t>(i)]));
  population_ = std::move(kept);
  store_ranking(population_, evolution);
  if (received_ % evolution.population != 0) return nullptr;

  io::GenerationRecord record;
  record.index = static_cast<int>(history_.generations.size());
  record.evaluated = std::move(arrived_);
  arrived_.clear();
  record.population = population_;
  record.rng_state = genome::rng_state(rng_);
  record.elapsed_seconds = elapsed_seconds;
  history_.generations.push_back(std::move(record));
  record_hypervolumes(history_, config_, history_.generations.size() - 1);
  return &history_.generations.back();
}

std::map<int, std::string> SteadyStateSearch::replay(const std::vector<io::SteadyEvent>& events,
                                                     const std::string& where) {
  for (const auto& e : events) {
    if (e.kind == io::SteadyEvent::Kind::handout) {
      const std::string drawn = can_hand_out() ? hand_out() : "nothing (the budget is handed out)";
      if (drawn != e.genome || rng_fingerprint() != e.rng_fingerprint || e.seq != handed_out_ - 1)
        throw EventLogMismatch(where + ": the event log does not match this configuration: hand-out " +
                               std::to_string(e.seq) + " was " + e.genome + ", this search draws " + drawn);
    } else {
      auto it = out_.find(e.seq);
      if (it == out_.end() || it->second != e.genome)
        throw EventLogMismatch(where + ": the event log has a result for " + e.genome + " that was not handed out as " +
                               std::to_string(e.seq));
      receive(e.seq, e.genome, e.result);
    }
  }
  return out_;
}

void SteadyStateSearch::restore_elapsed_seconds(const io::RunHistory& checkpoint) {
  double last = 0;
  for (size_t i = 0; i < history_.generations.size(); ++i) {
    if (i < checkpoint.generations.size()) last = checkpoint.generations[i].elapsed_seconds;
    history_.generations[i].elapsed_seconds = last;
  }
}

std::string SteadyStateSearch::rng_fingerprint() const {
  char text[24];
  std::snprintf(text, sizeof text, "%016" PRIx64, io::fnv1a(genome::rng_state(rng_)));
  return text;
}

}  // namespace star::search
