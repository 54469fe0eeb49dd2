#include "genome/variation.hpp"

#include <map>

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
    for (int p = 0; p < genes_per_liv(space); ++p) {
      if (uniform_real(rng) >= rate) continue;
      // A strategy of an unknown class has no range to draw from; repair handles that LIV.
      if (p != kClass && p != kFeaturizerGroup && p != kFeatureGroup && !find_liv_class(gene.cls)) continue;
      gene_at(gene, p) = draw(space, gene.cls, p, rng);
    }
  if (space.level != SearchLevel::full) return;
  // The lower levels of each class in use, position by position at the same rate. A class whose
  // entry is invalid (an unknown class) is left to repair.
  for (int cls : classes_in(genome)) {
    if (!find_liv_class(cls)) continue;
    OperatorSpec spec = operator_for(genome, cls);
    if (!operator_violations(spec, cls).empty()) continue;
    for (int p = 0; p < kOperatorGenes; ++p)
      if (uniform_real(rng) < rate) redraw_operator_position(spec, cls, p, rng);
    for (size_t g = 0; g < spec.groups.size(); ++g)
      for (int p = 0; p < kFeaturizerGenes; ++p)
        if (uniform_real(rng) < rate) redraw_featurizer_position(spec, g, p, rng);
    genome.operators[cls] = spec;
  }
  normalize_operators(genome);
}

std::pair<Genome, Genome> crossover(const Genome& a, const Genome& b, int points, Rng& rng, int genes) {
  if (a.livs.size() != b.livs.size())
    throw std::invalid_argument("crossover: parents of " + std::to_string(a.livs.size()) + " and " +
                                std::to_string(b.livs.size()) + " LIVs");
  const auto fa = flatten(a, genes), fb = flatten(b, genes);
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
  // The lower levels: each class's entry comes whole from one parent or the other (an operator's
  // positions only make sense together). Entries for classes a child no longer uses go.
  Genome child_a = unflatten(ca, genes), child_b = unflatten(cb, genes);
  std::map<int, std::pair<OperatorSpec, OperatorSpec>> entries;
  for (const auto* parent : {&a, &b})
    for (const auto& entry : parent->operators)
      if (find_liv_class(entry.first)) entries[entry.first] = {operator_for(a, entry.first), operator_for(b, entry.first)};
  for (const auto& [cls, specs] : entries) {
    const bool keep = uniform_real(rng) < 0.5;
    child_a.operators[cls] = keep ? specs.first : specs.second;
    child_b.operators[cls] = keep ? specs.second : specs.first;
  }
  normalize_operators(child_a);
  normalize_operators(child_b);
  return {child_a, child_b};
}

}  // namespace star::genome
