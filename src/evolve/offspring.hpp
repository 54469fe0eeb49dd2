#pragma once
// One generation's offspring: parents by tournament, k-point crossover, mutation, repair.
#include <vector>

#include "evolve/survival.hpp"
#include "genome/genome.hpp"
#include "genome/genome_space.hpp"

namespace star::evolve {

struct VariationSettings {
  int tournament_size = 2;     // 2 = binary tournament
  int crossover_points = 2;    // k of k-point crossover; 0 = none (children are mutated copies)
  double mutation_rate = 0.1;  // per position, in [0, 1]
  int max_redraws = 20;        // a child equal to a parent or an earlier child is re-drawn up to this often, then kept
};

// n valid children of `parents` (ranked by `ranking`, one entry per parent): pairs of parents by
// tournament, k-point crossover giving two children, mutation, repair. Every random draw comes
// from `rng`, so the same seed gives the same children. Throws std::invalid_argument for bad
// settings, an invalid space, no parents, or a ranking of another size.
std::vector<genome::Genome> make_offspring(const std::vector<genome::Genome>& parents, const Ranking& ranking, int n,
                                           const genome::GenomeSpace& space, const VariationSettings& settings,
                                           genome::Rng& rng);

}  // namespace star::evolve
