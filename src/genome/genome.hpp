#pragma once
// The backbone genome: five integers per LIV (class, featurizer-sharing group and strategy,
// feature-group-sharing group and strategy), written as text with one base-36 character per
// integer and LIVs joined by '-', e.g. 21211-31112-21221-32112. The text is the genome's
// canonical identity: parse then print gives it back (lower case).
//
// A sixth integer, the block gene (genome/blocks.hpp), says whether the LIV starts a block of
// the backbone (1) or runs beside the LIVs before it as another path of theirs (multi-path
// blocks); it is written only where it is not 1, e.g. 31111-611112-11111 (attention and a
// recurrence side by side, mixed by learned scalars, then SwiGLU).
//
// A genome may also carry the lower levels (operator_genome.hpp) for classes it uses, after the
// backbone: ";<class>=<operator genome>:<featurizer genes>", e.g.
//   31111-11111;3=11223:1111.1111.1111   (class 3 as sliding-window attention)
// Classes without such an entry compute their preset; entries equal to the preset are dropped,
// so that one architecture has one text.
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "genome/operator_genome.hpp"

namespace star::genome {

constexpr int kGenesPerLiv = 5;       // the paper's integers per LIV
constexpr int kMaxGenesPerLiv = 6;    // with the block gene

struct LivGene {
  int cls = 1, featurizer_group = 1, featurizer_strategy = 1, feature_group = 1, feature_group_strategy = 1;
  int block = 1;  // genome/blocks.hpp: 1 starts a block; 2 or 3 joins the block before as a path
  bool operator==(const LivGene& o) const;
  bool operator!=(const LivGene& o) const { return !(*this == o); }
};

struct Genome {
  std::vector<LivGene> livs;
  std::map<int, OperatorSpec> operators;  // class id -> what it computes, where not its preset
  bool operator==(const Genome& o) const { return livs == o.livs && operators == o.operators; }
  bool operator!=(const Genome& o) const { return !(*this == o); }
};

class GenomeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Syntax only (validity against a search space is validity.hpp). Throws GenomeError quoting the
// text and naming the LIV (1-based) and position or characters of the first problem.
Genome parse_genome(std::string_view text);
// Lower case. Throws GenomeError for a value outside 0..35, which has no base-36 digit.
std::string to_text(const Genome& genome);

// What LIVs of class `cls` compute in this genome: its entry, or the class's preset.
OperatorSpec operator_for(const Genome& genome, int cls);
// Whether some LIV of the backbone is of class `cls`.
bool uses_class(const Genome& genome, int cls);
// The classes the backbone uses, ascending, each once.
std::vector<int> classes_in(const Genome& genome);
// Drops operator entries equal to their preset or for classes no LIV uses.
void normalize_operators(Genome& genome);

// The backbone's integers (operator entries are not part of them): `genes` per LIV, in order (5,
// or 6 with the block gene: genome_space.hpp's genes_per_liv). Unflatten throws
// std::invalid_argument unless the values are a multiple of `genes`.
std::vector<int> flatten(const Genome& genome, int genes = kGenesPerLiv);
Genome unflatten(const std::vector<int>& values, int genes = kGenesPerLiv);

}  // namespace star::genome
