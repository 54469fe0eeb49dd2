#pragma once
// The two lower levels of the STAR genome: what a LIV class computes.
//
// Operator genome, five integers per class:
//   1 featurization     how the token mixer's coefficients are obtained
//   2 token mixing      the structure of T_ij over tokens
//   3 sparsity          a structured mask on that structure
//   4 nonlinearity      applied to the token-mixing structure (or, memoryless, the gate)
//   5 channel mixing    the structure of T_ij over channels
// Featurizer genome, four integers per feature group of the class (its inputs: attention's
// queries, keys, values; a recurrence's readout, decay, input and value; ...):
//   token mixing of the featurizer, channel mixing of the featurizer, expansion, repeat.
//
// Featurization and token mixing together pick the operator family (the file in src/model that
// computes it); the other positions are that family's options. Every named LIV class of
// liv_class.hpp is a preset: a point of this space (preset_operator). A genome may replace the
// preset of any class it uses (Genome::operators); operator_violations says which points are
// valid, and the model builds every valid point, named or not.
#include <string>
#include <vector>

#include "genome/liv_class.hpp"
#include "genome/random.hpp"

namespace star::genome {

enum Featurization { kInputDependent = 1, kExplicit = 2, kImplicit = 3, kStateSpace = 4 };
enum TokenMixing { kDense = 1, kLowRank = 2, kSemiSeparable = 3, kToeplitz = 4, kDiagonal = 5 };
enum Sparsity { kNoSparsity = 1, kBanded = 2, kBlockDiagonal = 3 };
enum Nonlinearity { kIdentity = 1, kSoftmax = 2, kFeatureMap = 3, kSilu = 4, kGelu = 5, kSigmoid = 6 };
enum ChannelMixing { kDiagonalChannels = 1, kDenseChannels = 2, kMultiHead = 3 };
// Featurizer genome values.
enum FeaturizerTokenMixing { kPointwise = 1, kShortConvolution = 2 };
// Diagonal: the group is the input scaled channel by channel (d weights instead of a d x w
// projection), so it keeps the input's width: it needs repeat 1. Monarch: a Monarch matrix (two
// block-diagonal factors with a fixed permutation between them, d (b1 + b2) weights instead of
// d^2) per d outputs: the fixed S4's input and gate, and then its output projection too
// (S4-Monarch).
enum FeaturizerChannelMixing { kDenseProjection = 1, kDiagonalScale = 2, kMonarchProjection = 3 };
// Expansion codes: feature width = class default width x {1, 2, 1/2}.
enum Expansion { kExpandOne = 1, kExpandTwo = 2, kExpandHalf = 3 };

constexpr int kOperatorGenes = 5;
constexpr int kFeaturizerGenes = 4;

struct OperatorGene {
  int featurization = kInputDependent, token_mixing = kDiagonal, sparsity = kNoSparsity, nonlinearity = kSilu,
      channel_mixing = kDenseChannels;
  bool operator==(const OperatorGene& o) const;
  bool operator!=(const OperatorGene& o) const { return !(*this == o); }
};

struct FeaturizerGene {
  int token_mixing = kPointwise, channel_mixing = kDenseProjection, expansion = kExpandOne, repeat = 1;
  bool operator==(const FeaturizerGene& o) const;
  bool operator!=(const FeaturizerGene& o) const { return !(*this == o); }
};

// What a class computes: its operator gene and one featurizer gene per feature group.
struct OperatorSpec {
  OperatorGene op;
  std::vector<FeaturizerGene> groups;
  bool operator==(const OperatorSpec& o) const { return op == o.op && groups == o.groups; }
  bool operator!=(const OperatorSpec& o) const { return !(*this == o); }
};

// The preset of a named class (a differential class: its base class's). Throws for an unknown id.
OperatorSpec preset_operator(int class_id);

// The family that computes an operator: from featurization and token mixing. Throws
// std::invalid_argument for a pair no family implements (operator_violations reports it first).
Family family_of(const OperatorGene& op);
// Names of the operator's feature groups, in featurizer-genome order ("query", "key", "value").
// Throws like family_of.
const std::vector<const char*>& feature_group_names(const OperatorGene& op);

// Empty when valid. Each sentence names the position (1-based) and what is allowed there.
// `cls`: the class the spec stands for; its sharing capabilities (whether later LIVs may reuse
// its feature groups) must survive, so the family may change only to one that shares alike.
std::vector<std::string> operator_violations(const OperatorSpec& spec, int cls);

// Random draws: one position of the operator gene (0-based), uniform over the values the
// family allows there given the other positions; a whole valid spec for a class.
void redraw_operator_position(OperatorSpec& spec, int cls, int position, Rng& rng);
void redraw_featurizer_position(OperatorSpec& spec, size_t group, int position, Rng& rng);
OperatorSpec sample_operator(int cls, Rng& rng);
// Re-samples only the offending positions until the spec is valid; returns how many.
int repair_operator(OperatorSpec& spec, int cls, Rng& rng);

// Text: "ofsnc:tcer.tcer..." (operator gene, then one featurizer gene per group, base 36).
std::string operator_text(const OperatorSpec& spec);
// Throws GenomeError (genome.hpp) naming the character.
OperatorSpec parse_operator(const std::string& text, const std::string& where);

// "11123:1111.1111.1111 = input-dependent, dense, no sparsity, softmax, multi-head; query 1111, ..."
std::string describe_operator(const OperatorSpec& spec);

int& operator_position(OperatorGene& op, int position);
int& featurizer_position(FeaturizerGene& gene, int position);

}  // namespace star::genome
