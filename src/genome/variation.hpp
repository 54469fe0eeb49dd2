#pragma once
// The two ways offspring differ from their parents: point mutation and k-point crossover. Both
// may leave a genome invalid (a strategy that the new class lacks); repair.hpp fixes that.
#include <utility>

#include "genome/genome.hpp"
#include "genome/genome_space.hpp"

namespace star::genome {

// Each of the 5 * depth positions is redrawn with probability `rate`, uniformly within its range
// (strategies within the range of the LIV's class at that moment).
void mutate(Genome& genome, const GenomeSpace& space, double rate, Rng& rng);

// k-point crossover on the flattened integers: `points` distinct cuts among the interior
// boundaries; segments alternate between the parents. Throws std::invalid_argument when the
// parents differ in length or points is outside 1..(5 * depth - 1).
// `genes`: integers per LIV that take part (genes_per_liv of the space: the block gene too when it
// has multi-path blocks).
std::pair<Genome, Genome> crossover(const Genome& a, const Genome& b, int points, Rng& rng, int genes = kGenesPerLiv);

}  // namespace star::genome
