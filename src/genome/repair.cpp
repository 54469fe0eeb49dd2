#include "genome/repair.hpp"

#include "genome/blocks.hpp"

#include <stdexcept>
#include <string>

namespace star::genome {

int repair(Genome& genome, const GenomeSpace& space, Rng& rng) {
  check_space(space);
  if (static_cast<int>(genome.livs.size()) != space.depth)
    throw std::invalid_argument("repair: a genome of " + std::to_string(genome.livs.size()) +
                                " LIVs cannot be repaired into a space of depth " + std::to_string(space.depth));
  int resampled = 0;
  for (auto& gene : genome.livs)
    // Positions in order, so the class (position 0) is fixed before the strategies whose valid
    // range depends on it.
    for (int p = 0; p < kMaxGenesPerLiv; ++p) {
      int& value = gene_at(gene, p);
      if (allowed(space, gene.cls, p, value)) continue;
      value = draw(space, gene.cls, p, rng);
      ++resampled;
    }
  resampled += repair_blocks(genome, space.max_paths);
  // Entries of classes that left the backbone go; the others are repaired like the backbone.
  const size_t entries = genome.operators.size();
  normalize_operators(genome);
  resampled += static_cast<int>(entries - genome.operators.size());
  for (auto& [cls, spec] : genome.operators) resampled += repair_operator(spec, cls, rng);
  normalize_operators(genome);
  return resampled;
}

}  // namespace star::genome
