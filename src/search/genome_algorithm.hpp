#pragma once
// The algorithm [evolution] algorithm names, for genomes: the one place that reads the name.
#include <memory>

#include "genome/genome.hpp"
#include "io/config.hpp"
#include "search/algorithm.hpp"

namespace star::search {

using GenomeAlgorithm = Algorithm<genome::Genome>;

// NSGA-II, the GA or the firefly algorithm with the configuration's settings. Their first
// population is the configuration's initial genomes, then distinct samples (selection.hpp's
// initial_candidates); NSGA-II's and the GA's children come from tournaments, k-point
// crossover, mutation and repair (evolve/offspring.hpp). Throws std::invalid_argument for an
// algorithm name it does not know.
std::unique_ptr<GenomeAlgorithm> make_genome_algorithm(const io::Config& config);

}  // namespace star::search
