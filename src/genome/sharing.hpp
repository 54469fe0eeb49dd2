#pragma once
// Who shares with whom. LIVs of the same class with the same featurizer-sharing group and the
// same strategy >= 2 form a set that uses one featurizer, owned by the set's first LIV; the same
// for feature groups (class, feature group, strategy >= 2): later LIVs reuse the feature groups
// the first one computes (for attention: its keys and values, a shared KV cache).
#include <vector>

#include "genome/genome.hpp"

namespace star::genome {

// Per LIV: the index of the LIV whose featurizer weights it uses (its own index when it owns them).
std::vector<int> featurizer_owner(const Genome& genome);
// Per LIV: the index of the LIV whose feature groups it uses (its own index when it computes them).
std::vector<int> feature_group_owner(const Genome& genome);

}  // namespace star::genome
