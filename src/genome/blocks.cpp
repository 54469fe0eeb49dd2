#include "genome/blocks.hpp"

namespace star::genome {
namespace {

bool joins(const LivGene& gene) { return gene.block == kJoinScalarMixer || gene.block == kJoinGatedMixer; }

}  // namespace

std::vector<Block> blocks_of(const Genome& genome) {
  std::vector<Block> blocks;
  for (int i = 0; i < static_cast<int>(genome.livs.size()); ++i) {
    const auto& gene = genome.livs[static_cast<size_t>(i)];
    if (blocks.empty() || !joins(gene)) {
      blocks.push_back({i, 1, Mixer::none, gene.block == kNewRoutedBlock});
      continue;
    }
    auto& b = blocks.back();
    if (b.paths == 1) b.mixer = gene.block == kJoinScalarMixer ? Mixer::scalars : Mixer::token_gates;
    ++b.paths;
  }
  return blocks;
}

std::vector<std::string> block_violations(const Genome& genome, int max_paths) {
  std::vector<std::string> out;
  if (!genome.livs.empty() && joins(genome.livs.front()))
    out.push_back("LIV 1, position 6 (block): " + std::to_string(genome.livs.front().block) +
                  " joins a block before the first LIV; the first LIV starts a block (1)");
  for (const auto& b : blocks_of(genome)) {
    if (b.paths > max_paths)
      out.push_back("LIVs " + std::to_string(b.first + 1) + "-" + std::to_string(b.first + b.paths) + " form a block of " +
                    std::to_string(b.paths) + " paths; [genome] max_paths allows " + std::to_string(max_paths));
    for (int p = 2; p < b.paths; ++p) {
      const auto& first_joiner = genome.livs[static_cast<size_t>(b.first + 1)];
      const auto& joiner = genome.livs[static_cast<size_t>(b.first + p)];
      if (joiner.block != first_joiner.block)
        out.push_back("LIV " + std::to_string(b.first + p + 1) + ", position 6 (block): " + std::to_string(joiner.block) +
                      " names another mixer than its block's (" + std::to_string(first_joiner.block) + ", from LIV " +
                      std::to_string(b.first + 2) + ")");
    }
  }
  return out;
}

int repair_blocks(Genome& genome, int max_paths) {
  int changed = 0;
  int paths = 0, mixer = kNewBlock;  // of the block being walked
  for (auto& gene : genome.livs) {
    if (joins(gene) && paths >= 1 && paths < max_paths) {
      if (paths == 1) mixer = gene.block;
      else if (gene.block != mixer) {
        gene.block = mixer;
        ++changed;
      }
      ++paths;
      continue;
    }
    if (joins(gene)) {  // a joiner with no block to join, or past max_paths: a block of its own
      gene.block = kNewBlock;
      ++changed;
    }
    paths = 1;
  }
  return changed;
}

bool has_routing(const Genome& genome) {
  for (const auto& b : blocks_of(genome))
    if (b.routed) return true;
  return false;
}

const char* to_string(Mixer mixer) {
  switch (mixer) {
    case Mixer::scalars: return "scalars";
    case Mixer::token_gates: return "token gates";
    default: return "none";
  }
}

}  // namespace star::genome
