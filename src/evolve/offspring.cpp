#include "evolve/offspring.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "evolve/tournament.hpp"
#include "genome/repair.hpp"
#include "genome/variation.hpp"

namespace star::evolve {

std::vector<genome::Genome> make_offspring(const std::vector<genome::Genome>& parents, const Ranking& ranking, int n,
                                           const genome::GenomeSpace& space, const VariationSettings& settings,
                                           genome::Rng& rng) {
  std::set<std::string> seen;
  for (const auto& p : parents) seen.insert(genome::to_text(p));
  const int positions = genome::kGenesPerLiv * space.depth;
  const int points = std::min(settings.crossover_points, positions - 1);

  std::vector<genome::Genome> children;
  int redraws = 0;
  while (static_cast<int>(children.size()) < n) {
    const auto& a = parents[tournament(ranking, settings.tournament_size, rng)];
    const auto& b = parents[tournament(ranking, settings.tournament_size, rng)];
    auto pair = points >= 1 ? genome::crossover(a, b, points, rng) : std::make_pair(a, b);
    for (auto* child : {&pair.first, &pair.second}) {
      if (static_cast<int>(children.size()) >= n) break;
      genome::mutate(*child, space, settings.mutation_rate, rng);
      genome::repair(*child, space, rng);
      if (!seen.insert(genome::to_text(*child)).second && redraws < settings.max_redraws * n) {
        ++redraws;
        continue;  // a duplicate would spend training on a known genome: draw again
      }
      children.push_back(*child);
    }
  }
  return children;
}

}  // namespace star::evolve
