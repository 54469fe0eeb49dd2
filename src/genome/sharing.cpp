#include "genome/sharing.hpp"

#include <map>
#include <tuple>

namespace star::genome {
namespace {

// Owners keyed by (class, group, strategy); strategy 1 shares nothing.
template <class GroupOf, class StrategyOf>
std::vector<int> owners(const Genome& genome, GroupOf group_of, StrategyOf strategy_of) {
  std::map<std::tuple<int, int, int>, int> first;
  std::vector<int> owner(genome.livs.size());
  for (size_t i = 0; i < genome.livs.size(); ++i) {
    const auto& g = genome.livs[i];
    owner[i] = static_cast<int>(i);
    if (strategy_of(g) < 2) continue;
    owner[i] = first.emplace(std::make_tuple(g.cls, group_of(g), strategy_of(g)), static_cast<int>(i)).first->second;
  }
  return owner;
}

}  // namespace

std::vector<int> featurizer_owner(const Genome& genome) {
  return owners(genome, [](const LivGene& g) { return g.featurizer_group; },
                [](const LivGene& g) { return g.featurizer_strategy; });
}

std::vector<int> feature_group_owner(const Genome& genome) {
  return owners(genome, [](const LivGene& g) { return g.feature_group; },
                [](const LivGene& g) { return g.feature_group_strategy; });
}

}  // namespace star::genome
