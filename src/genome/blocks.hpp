#pragma once
// Multi-path blocks and routing: the block gene, a LIV's sixth integer, groups the backbone's LIVs
// into blocks. A block is one LIV (gene 1, or 4: a routed block) followed by the LIVs that join
// it (gene 2 or 3), at most [genome] max_paths (kMaxPaths) in all. Its paths read the same normed
// input and a mixer adds their outputs into the residual stream:
//
//   2  learned scalars, one per path, through a softmax (the same weights at every token)
//   3  per-token gates: a softmax over the paths of a linear layer of the normed input
//
// A routed block (gene 4, where [genome] routing is on) scales what it adds to the residual
// stream by a per-token gate in (0, 1) from the LTC router (model/ltc_router.hpp).
//
// Every LIV that joins a block names the block's mixer, so a block's joiners carry the same gene.
// Sharing (featurizers, feature groups) works as anywhere: a later path may use an earlier one's.
// Plain C++, no torch: the model (model/backbone.hpp) builds what blocks_of describes.
#include <string>
#include <vector>

#include "genome/genome.hpp"

namespace star::genome {

enum BlockGene { kNewBlock = 1, kJoinScalarMixer = 2, kJoinGatedMixer = 3, kNewRoutedBlock = 4 };
constexpr int kMaxPaths = 3;

enum class Mixer { none, scalars, token_gates };  // none: a block of one LIV

struct Block {
  int first = 0;  // its first LIV's index
  int paths = 1;  // LIVs first .. first + paths - 1
  Mixer mixer = Mixer::none;
  bool routed = false;  // its first LIV's gene is kNewRoutedBlock
};

// The blocks in order. A LIV whose gene joins nothing (the first LIV) starts a block; a mixer is
// the first joiner's.
std::vector<Block> blocks_of(const Genome& genome);

// What breaks the block rules of a space with `max_paths`: the first LIV joining, more paths
// than max_paths, joiners of one block naming different mixers. Empty when none.
std::vector<std::string> block_violations(const Genome& genome, int max_paths);

// Makes the blocks valid without drawing: a first LIV that joins starts a block, a path beyond
// max_paths starts the next block, a joiner takes its block's first joiner's mixer. Returns how
// many genes it changed.
int repair_blocks(Genome& genome, int max_paths);

// Whether some block of the genome is routed.
bool has_routing(const Genome& genome);

const char* to_string(Mixer mixer);

}  // namespace star::genome
