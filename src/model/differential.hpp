#pragma once
// Differential variants of any LIV class (SA-1-Diff, Rec-1-Diff, S4-Diff, ...), after
// differential attention (Ye et al. 2024): two parallel copies of the base operator, each with
// its own featurizer and weights, and a learned scalar lambda (initialised 0.5),
//   y = op1(x) - lambda * op2(x),
// so noise common to both can cancel. Featurizer (shareable within the class): the pair of the
// base class's featurizers. Feature groups (shareable where the base class shares them): both
// copies' groups, each copy reading its own counterpart's. Parameters: 2 x the base + 1.
// Cache: 2 x the base's. Which base a class doubles is the class table's differential_of.
#include "model/liv.hpp"

namespace star::model {

LivBuilder differential_builder(const LivBuilder& base);

}  // namespace star::model
