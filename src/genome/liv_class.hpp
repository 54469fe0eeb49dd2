#pragma once
// The LIV class table: the one place that lists which operators exist. A class id is the first
// of the five numbers of a LIV in the backbone genome.
#include <vector>

namespace star::genome {

enum class Family { memoryless, convolution, attention };

struct LivClass {
  int id;                        // the number written in the genome
  const char* short_name;        // "SA-1"
  const char* description;
  Family family;
  int featurizer_strategies;     // valid featurizer-sharing strategies are 1..this; 1 = no sharing
  int feature_group_strategies;  // valid feature-group-sharing strategies 1..this; 1 = no sharing
};

const std::vector<LivClass>& liv_classes();
const LivClass* find_liv_class(int id);  // nullptr when unknown
const LivClass& liv_class(int id);       // throws std::invalid_argument naming the known ids

}  // namespace star::genome
