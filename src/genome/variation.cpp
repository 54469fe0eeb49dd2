#include "genome/variation.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "genome/liv_class.hpp"

namespace star::genome {

void mutate(Genome& genome, const GenomeSpace& space, double rate, Rng& rng) {
  check_space(space);
  // Positions in order, so a strategy is drawn within the range of the class as it is after any
  // class change in the same LIV.
  for (auto& gene : genome.livs)
    for (int p = 0; p < kGenesPerLiv; ++p) {
      if (uniform_real(rng) >= rate) continue;
      // A strategy of an unknown class has no range to draw from; repair handles that LIV.
      if (p != kClass && p != kFeaturizerGroup && p != kFeatureGroup && !find_liv_class(gene.cls)) continue;
      gene_at(gene, p) = draw(space, gene.cls, p, rng);
    }
}

std::pair<Genome, Genome> crossover(const Genome& a, const Genome& b, int points, Rng& rng) {
  if (a.livs.size() != b.livs.size())
    throw std::invalid_argument("crossover: parents of " + std::to_string(a.livs.size()) + " and " +
                                std::to_string(b.livs.size()) + " LIVs");
  const auto fa = flatten(a), fb = flatten(b);
  const int n = static_cast<int>(fa.size());
  if (points < 1 || points > n - 1)
    throw std::invalid_argument("crossover: " + std::to_string(points) + " points for " + std::to_string(n) +
                                " positions (at most " + std::to_string(n - 1) + ")");
  // Cut k is between positions cut-1 and cut: choose `points` distinct cuts from 1..n-1 (a
  // partial Fisher-Yates shuffle keeps every choice equally likely).
  std::vector<int> cuts(n - 1);
  for (int i = 0; i < n - 1; ++i) cuts[i] = i + 1;
  for (int i = 0; i < points; ++i) std::swap(cuts[i], cuts[uniform_int(rng, i, n - 2)]);
  cuts.resize(points);
  std::sort(cuts.begin(), cuts.end());

  std::vector<int> ca(n), cb(n);
  bool swapped = false;
  size_t next_cut = 0;
  for (int i = 0; i < n; ++i) {
    if (next_cut < cuts.size() && i == cuts[next_cut]) {
      swapped = !swapped;
      ++next_cut;
    }
    ca[i] = swapped ? fb[i] : fa[i];
    cb[i] = swapped ? fa[i] : fb[i];
  }
  return {unflatten(ca), unflatten(cb)};
}

}  // namespace star::genome
