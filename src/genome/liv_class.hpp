#pragma once
// The LIV class table: the one place that lists which operators exist. A class id is the first
// of the five numbers of a LIV in the backbone genome.
#include <vector>

namespace star::genome {

// The token-mixing family of a class: which operator computes it (src/model has one file each).
enum class Family {
  memoryless,        // GMemless: gated MLPs, no token mixing
  convolution,       // GConv-1: short explicit causal filter
  long_convolution,  // GConv-2: implicit filter as long as the sequence, applied by FFT
  attention,         // SA-1, SA-3: softmax attention (all or grouped key-value heads)
  linear_attention,  // SA-2: kernelised attention with a fixed-size state
  recurrence,        // Rec-1, Rec-2: gated diagonal linear recurrence
  state_space,       // S4-1 (fixed diagonal SSM), S4-2 (input-dependent step), S4-Monarch
};

struct LivClass {
  int id;                        // the number written in the genome
  const char* short_name;        // "SA-1"
  const char* description;
  Family family;
  int featurizer_strategies;     // valid featurizer-sharing strategies are 1..this; 1 = no sharing
  int feature_group_strategies;  // valid feature-group-sharing strategies 1..this; 1 = no sharing
  int differential_of = 0;       // differential variants: the class whose operator runs twice, y = op1 - lambda op2
};

const std::vector<LivClass>& liv_classes();
const LivClass* find_liv_class(int id);  // nullptr when unknown
const LivClass& liv_class(int id);       // throws std::invalid_argument naming the known ids

}  // namespace star::genome
