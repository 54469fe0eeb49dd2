#pragma once
// Makes a genome valid again after mutation or crossover by re-sampling only the positions
// that break the search space's rules.
#include "genome/genome.hpp"
#include "genome/genome_space.hpp"

namespace star::genome {

// Returns how many positions were re-sampled (0 for a valid genome, which is left as it is).
// Throws std::invalid_argument when the number of LIVs differs from the space's depth.
int repair(Genome& genome, const GenomeSpace& space, Rng& rng);

}  // namespace star::genome
