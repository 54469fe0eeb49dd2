#include "genome/sampling.hpp"

namespace star::genome {

Genome sample_genome(const GenomeSpace& space, Rng& rng) {
  check_space(space);  // an empty class list would otherwise draw from an empty range
  Genome genome;
  for (int i = 0; i < space.depth; ++i) {
    LivGene gene;
    gene.cls = draw(space, 0, kClass, rng);
    for (int p = kFeaturizerGroup; p < kGenesPerLiv; ++p) gene_at(gene, p) = draw(space, gene.cls, p, rng);
    genome.livs.push_back(gene);
  }
  return genome;
}

}  // namespace star::genome
