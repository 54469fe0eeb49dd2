#pragma once
// The search space a run draws genomes from: how deep, which LIV classes, how many sharing
// groups. Sampling, mutation, repair and validity all read each position's range from here.
#include <string>
#include <vector>

#include "genome/genome.hpp"
#include "genome/random.hpp"

namespace star::genome {

// Which levels of the genome evolution changes: the backbone only (the paper's runs; every class
// computes its preset), or also the operator and featurizer genomes of the classes in use.
enum class SearchLevel { backbone, full };

struct GenomeSpace {
  int depth = 4;                     // LIVs per genome (fixed, as in the paper's runs)
  std::vector<int> classes = {1, 2, 3};  // class ids allowed in this search
  int max_group = 4;                 // sharing groups are 1..max_group
  SearchLevel level = SearchLevel::backbone;
  int max_paths = 1;                 // LIVs side by side in one block (genome/blocks.hpp): 1..3; 1: none
  bool routing = false;              // blocks may be routed (block gene 4: model/ltc_router.hpp)
};

// Integers per LIV that evolution draws and varies: the five of the paper, and the block gene
// when the space has multi-path blocks or routing.
int genes_per_liv(const GenomeSpace& space);

std::string to_string(SearchLevel level);
SearchLevel search_level_from_string(const std::string& name);  // throws std::invalid_argument

// Throws std::invalid_argument: depth < 1, no classes, an unknown class id, max_group outside 1..35,
// max_paths outside 1..3.
void check_space(const GenomeSpace& space);

// Positions of a LIV's integers.
enum Position { kClass = 0, kFeaturizerGroup, kFeaturizerStrategy, kFeatureGroup, kFeatureGroupStrategy, kBlock };

// Whether `value` may stand at `position` of a LIV of class `cls` (ignored for kClass).
bool allowed(const GenomeSpace& space, int cls, int position, int value);
// A uniform draw among the values allowed there (for kClass: among space.classes).
int draw(const GenomeSpace& space, int cls, int position, Rng& rng);

// The value of a position, by reference.
int& gene_at(LivGene& gene, int position);

}  // namespace star::genome
