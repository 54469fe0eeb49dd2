#include "evolve/offspring.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

#include "evolve/tournament.hpp"
#include "genome/repair.hpp"
#include "genome/variation.hpp"

namespace star::evolve {
namespace {

void check_settings(const VariationSettings& s) {
  if (s.tournament_size < 1)
    throw std::invalid_argument("variation: tournament_size must be at least 1, got " + std::to_string(s.tournament_size));
  if (s.crossover_points < 0)
    throw std::invalid_argument("variation: crossover_points must be 0 (no crossover) or more, got " +
                                std::to_string(s.crossover_points));
  if (!(s.mutation_rate >= 0 && s.mutation_rate <= 1))
    throw std::invalid_argument("variation: mutation_rate must be in [0, 1], got " + std::to_string(s.mutation_rate));
  if (s.max_redraws < 0)
    throw std::invalid_argument("variation: max_redraws must be 0 or more, got " + std::to_string(s.max_redraws));
}

}  // namespace

std::vector<genome::Genome> make_offspring(const std::vector<genome::Genome>& parents, const Ranking& ranking, int n,
                                           const genome::GenomeSpace& space, const VariationSettings& settings,
                                           genome::Rng& rng) {
  check_settings(settings);
  genome::check_space(space);
  if (n < 0) throw std::invalid_argument("make_offspring: " + std::to_string(n) + " children asked for");
  if (parents.empty()) throw std::invalid_argument("make_offspring: no parents");
  if (ranking.front_rank.size() != parents.size() || ranking.crowding.size() != parents.size())
    throw std::invalid_argument("make_offspring: a ranking of " + std::to_string(ranking.front_rank.size()) +
                                " individuals for " + std::to_string(parents.size()) + " parents");

  std::set<std::string> seen;  // texts of the parents and of the children so far
  for (const auto& p : parents) seen.insert(genome::to_text(p));
  // More cuts than interior boundaries is impossible; the setting is an upper bound for shallow genomes.
  const int points = std::min(settings.crossover_points, genome::genes_per_liv(space) * space.depth - 1);

  std::vector<genome::Genome> children;
  int redrawn = 0;  // duplicates thrown away since the last child was kept
  while (static_cast<int>(children.size()) < n) {
    const auto& a = parents[tournament(ranking, settings.tournament_size, rng)];
    const auto& b = parents[tournament(ranking, settings.tournament_size, rng)];
    auto pair = points >= 1 ? genome::crossover(a, b, points, rng, genome::genes_per_liv(space)) : std::make_pair(a, b);
    for (auto* child : {&pair.first, &pair.second}) {
      if (static_cast<int>(children.size()) >= n) break;
      genome::mutate(*child, space, settings.mutation_rate, rng);
      genome::repair(*child, space, rng);
      // A duplicate would spend training on a genome already known: draw again, but give up
      // after max_redraws so a small or converged space cannot loop forever.
      if (!seen.insert(genome::to_text(*child)).second && redrawn < settings.max_redraws) {
        ++redrawn;
        continue;
      }
      children.push_back(*child);
      redrawn = 0;
    }
  }
  return children;
}

}  // namespace star::evolve
