#include "genome/sampling.hpp"

#include "genome/blocks.hpp"

namespace star::genome {

Genome sample_genome(const GenomeSpace& space, Rng& rng) {
  check_space(space);  // an empty class list would otherwise draw from an empty range
  Genome genome;
  for (int i = 0; i < space.depth; ++i) {
    LivGene gene;
    gene.cls = draw(space, 0, kClass, rng);
    for (int p = kFeaturizerGroup; p < genes_per_liv(space); ++p) gene_at(gene, p) = draw(space, gene.cls, p, rng);
    genome.livs.push_back(gene);
  }
  repair_blocks(genome, space.max_paths);
  // At the full level each class in use computes its preset or, with even odds, a random operator.
  if (space.level == SearchLevel::full)
    for (int cls : classes_in(genome))
      if (uniform_real(rng) < 0.5) genome.operators[cls] = sample_operator(cls, rng);
  normalize_operators(genome);
  return genome;
}

}  // namespace star::genome
