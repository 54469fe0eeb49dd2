#pragma once
// The benchmarks' models: a genome motif repeated to a depth (a 2-LIV motif to a 24-LIV model).
#include <cstdint>

#include "genome/genome.hpp"

namespace star::bench {

// The motif's LIVs repeated until there are `depth` of them; depth 0: the motif itself.
inline genome::Genome repeated_to_depth(const genome::Genome& motif, int64_t depth) {
  if (depth <= 0) return motif;
  genome::Genome g;
  for (int64_t i = 0; i < depth; ++i) g.livs.push_back(motif.livs[static_cast<size_t>(i) % motif.livs.size()]);
  return g;
}

}  // namespace star::bench
