#pragma once
// Whether a genome belongs to a search space, and if not, every reason why.
#include <string>
#include <vector>

#include "genome/genome.hpp"
#include "genome/genome_space.hpp"

namespace star::genome {

// Empty when valid; otherwise one sentence per violation naming the LIV (1-based) and position.
std::vector<std::string> violations(const Genome& genome, const GenomeSpace& space);
bool is_valid(const Genome& genome, const GenomeSpace& space);

}  // namespace star::genome
