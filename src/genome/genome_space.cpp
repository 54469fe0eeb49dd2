#include "genome/genome_space.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "genome/blocks.hpp"
#include "genome/liv_class.hpp"

namespace star::genome {

void check_space(const GenomeSpace& space) {
  if (space.depth < 1)
    throw std::invalid_argument("search space: depth must be at least 1 LIV, got " + std::to_string(space.depth));
  if (space.classes.empty()) throw std::invalid_argument("search space: lists no LIV classes");
  for (int c : space.classes)
    if (!find_liv_class(c)) {
      std::string known;
      for (const auto& k : liv_classes()) known += (known.empty() ? "" : ", ") + std::to_string(k.id);
      throw std::invalid_argument("search space: class " + std::to_string(c) + " is not in the LIV class table (known: " +
                                  known + ")");
    }
  if (space.max_group < 1 || space.max_group > 35)
    throw std::invalid_argument("search space: max_group must be in 1..35 (one base-36 digit), got " +
                                std::to_string(space.max_group));
  if (space.max_paths < 1 || space.max_paths > kMaxPaths)
    throw std::invalid_argument("search space: max_paths must be in 1.." + std::to_string(kMaxPaths) + ", got " +
                                std::to_string(space.max_paths));
}

int genes_per_liv(const GenomeSpace& space) {
  return space.max_paths > 1 || space.routing ? kMaxGenesPerLiv : kGenesPerLiv;
}

namespace {
// The block genes a space allows, ascending.
std::vector<int> block_genes(const GenomeSpace& space) {
  std::vector<int> genes{kNewBlock};
  if (space.max_paths > 1) genes.insert(genes.end(), {kJoinScalarMixer, kJoinGatedMixer});
  if (space.routing) genes.push_back(kNewRoutedBlock);
  return genes;
}
}  // namespace

bool allowed(const GenomeSpace& space, int cls, int position, int value) {
  switch (position) {
    case kClass: return std::find(space.classes.begin(), space.classes.end(), value) != space.classes.end();
    case kFeaturizerGroup:
    case kFeatureGroup: return value >= 1 && value <= space.max_group;
    case kBlock: {
      const auto genes = block_genes(space);
      return std::find(genes.begin(), genes.end(), value) != genes.end();
    }
    default: {
      const LivClass* c = find_liv_class(cls);
      if (!c) return false;
      const int n = position == kFeaturizerStrategy ? c->featurizer_strategies : c->feature_group_strategies;
      return value >= 1 && value <= n;
    }
  }
}

int draw(const GenomeSpace& space, int cls, int position, Rng& rng) {
  switch (position) {
    case kClass: return space.classes[uniform_int(rng, 0, static_cast<int>(space.classes.size()) - 1)];
    case kFeaturizerGroup:
    case kFeatureGroup: return uniform_int(rng, 1, space.max_group);
    case kBlock: {
      const auto genes = block_genes(space);
      return genes.size() == 1 ? genes.front() : genes[uniform_int(rng, 0, static_cast<int>(genes.size()) - 1)];
    }
    default: {
      const LivClass& c = liv_class(cls);
      return uniform_int(rng, 1, position == kFeaturizerStrategy ? c.featurizer_strategies : c.feature_group_strategies);
    }
  }
}

std::string to_string(SearchLevel level) { return level == SearchLevel::full ? "full" : "backbone"; }

SearchLevel search_level_from_string(const std::string& name) {
  if (name == "backbone") return SearchLevel::backbone;
  if (name == "full") return SearchLevel::full;
  throw std::invalid_argument("search level \"" + name + "\" is not backbone or full");
}

int& gene_at(LivGene& gene, int position) {
  switch (position) {
    case kClass: return gene.cls;
    case kFeaturizerGroup: return gene.featurizer_group;
    case kFeaturizerStrategy: return gene.featurizer_strategy;
    case kFeatureGroup: return gene.feature_group;
    case kBlock: return gene.block;
    default: return gene.feature_group_strategy;
  }
}

}  // namespace star::genome
