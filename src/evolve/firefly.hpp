#pragma once
// The firefly algorithm (Yang 2008) on the genome's integers: each firefly moves toward every
// brighter one with attractiveness beta0 * exp(-gamma r^2), plus a random step, and lands on the
// nearest allowed integers (then repair). Brightness is any Ranking (the GA's weighted sum in a
// search): j is brighter than i when crowded_less(j, i).
//
// Positions: per LIV the class as its index in space.classes, the two sharing groups 1..max_group
// and the two strategies 1..(the class's strategy count). r^2 is the mean over positions of the
// squared difference divided by the position's span (largest minus smallest value in the
// space), so 0 <= r^2 <= 1 whatever the depth. Cost O(N^2 * 5 * depth) per generation.
#include <vector>

#include "evolve/survival.hpp"
#include "genome/genome.hpp"
#include "genome/genome_space.hpp"

namespace star::evolve {

struct FireflySettings {
  double beta0 = 1.0;  // attractiveness at distance 0 (1: a firefly would land on its neighbour)
  double gamma = 1.0;  // light absorption: how fast attractiveness fades with r^2
  double alpha = 0.1;  // random step: uniform in [-alpha, alpha] times the position's span
};

// The new positions of every firefly but the `elite_count` brightest (which stay where they
// are), in population order. Moves are sequential toward each brighter firefly in population
// order, from the positions at the start of the generation. Every draw comes from `rng`.
// Throws std::invalid_argument for bad settings, an invalid space, or a ranking of another size.
std::vector<genome::Genome> move_fireflies(const std::vector<genome::Genome>& fireflies, const Ranking& brightness,
                                           int elite_count, const genome::GenomeSpace& space,
                                           const FireflySettings& settings, genome::Rng& rng);

}  // namespace star::evolve
