#pragma once
// Random genomes: each position uniform over its valid range.
#include "genome/genome.hpp"
#include "genome/genome_space.hpp"

namespace star::genome {

Genome sample_genome(const GenomeSpace& space, Rng& rng);  // always valid

}  // namespace star::genome
