#include "genome/validity.hpp"

#include "genome/blocks.hpp"
#include "genome/liv_class.hpp"

namespace star::genome {
namespace {

const char* position_name(int position) {
  static const char* names[] = {"class", "featurizer-sharing group", "featurizer-sharing strategy",
                                "feature-group-sharing group", "feature-group-sharing strategy", "block"};
  return names[position];
}

std::string range_text(const GenomeSpace& space, int cls, int position) {
  if (position == kClass) {
    std::string list;
    for (int c : space.classes) list += (list.empty() ? "" : ", ") + std::to_string(c);
    return "one of the allowed classes " + list;
  }
  if (position == kFeaturizerGroup || position == kFeatureGroup) return "in 1.." + std::to_string(space.max_group);
  if (position == kBlock) {
    const std::string paths = space.max_paths > 1 ? ", 2, 3" : "";
    const std::string routed = space.routing ? ", 4" : "";
    return "one of 1" + paths + routed + " ([genome] max_paths " + std::to_string(space.max_paths) + ", routing " +
           (space.routing ? "on" : "off") + ")";
  }
  const LivClass& c = liv_class(cls);
  const int n = position == kFeaturizerStrategy ? c.featurizer_strategies : c.feature_group_strategies;
  return "in 1.." + std::to_string(n) + " for class " + std::to_string(cls) + " (" + c.short_name + ")";
}

}  // namespace

std::vector<std::string> violations(const Genome& genome, const GenomeSpace& space) {
  std::vector<std::string> out;
  if (static_cast<int>(genome.livs.size()) != space.depth)
    out.push_back("the genome has " + std::to_string(genome.livs.size()) + " LIVs, the search space's depth is " +
                  std::to_string(space.depth));
  for (size_t i = 0; i < genome.livs.size(); ++i) {
    LivGene gene = genome.livs[i];
    const bool class_ok = allowed(space, gene.cls, kClass, gene.cls);
    for (int p = 0; p < kMaxGenesPerLiv; ++p) {
      // Strategy ranges depend on the class: with an unknown class only the class is reported.
      if ((p == kFeaturizerStrategy || p == kFeatureGroupStrategy) && !class_ok) continue;
      const int v = gene_at(gene, p);
      if (!allowed(space, gene.cls, p, v))
        out.push_back("LIV " + std::to_string(i + 1) + ", position " + std::to_string(p + 1) + " (" +
                      position_name(p) + "): " + std::to_string(v) + " is not " + range_text(space, gene.cls, p));
    }
  }
  for (auto& v : block_violations(genome, space.max_paths)) out.push_back(std::move(v));
  // The lower levels: each entry's spec, for a class the backbone uses.
  for (const auto& [cls, spec] : genome.operators) {
    if (!uses_class(genome, cls)) {
      out.push_back("operator genome for class " + std::to_string(cls) + ", which no LIV uses");
      continue;
    }
    for (auto& v : operator_violations(spec, cls)) out.push_back(std::move(v));
  }
  return out;
}

bool is_valid(const Genome& genome, const GenomeSpace& space) { return violations(genome, space).empty(); }

}  // namespace star::genome
