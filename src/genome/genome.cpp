#include "genome/genome.hpp"

#include <algorithm>

#include "genome/genome_space.hpp"

namespace star::genome {
namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

char digit_char(int v) {  // v in 0..35
  return static_cast<char>(v <= 9 ? '0' + v : 'a' + v - 10);
}

}  // namespace

bool LivGene::operator==(const LivGene& o) const {
  return cls == o.cls && featurizer_group == o.featurizer_group && featurizer_strategy == o.featurizer_strategy &&
         feature_group == o.feature_group && feature_group_strategy == o.feature_group_strategy;
}

Genome parse_genome(std::string_view text) {
  const std::string quoted = "genome \"" + std::string(text) + "\"";
  if (text.empty()) throw GenomeError(quoted + ": empty (expected LIVs like 21211-31112)");
  Genome genome;
  size_t start = 0;
  while (true) {
    const size_t end = std::min(text.find('-', start), text.size());
    const std::string_view liv = text.substr(start, end - start);
    // Characters are counted from 1, like LIVs and positions.
    const std::string where = quoted + ": LIV " + std::to_string(genome.livs.size() + 1);
    if (liv.empty())
      throw GenomeError(where + " (character " + std::to_string(start + 1) +
                        ") is empty: two '-' in a row, or a '-' at the start or end");
    if (liv.size() != kGenesPerLiv)
      throw GenomeError(where + " (characters " + std::to_string(start + 1) + "-" + std::to_string(end) + "): \"" +
                        std::string(liv) + "\" has " + std::to_string(liv.size()) +
                        " characters, expected 5 (class, featurizer group and strategy, feature group and strategy)");
    LivGene gene;
    for (int i = 0; i < kGenesPerLiv; ++i) {
      const int v = digit_value(liv[i]);
      if (v < 0)
        throw GenomeError(where + ", position " + std::to_string(i + 1) + ": '" + std::string(1, liv[i]) +
                          "' is not a digit (0-9, a-z)");
      gene_at(gene, i) = v;
    }
    genome.livs.push_back(gene);
    if (end == text.size()) break;
    start = end + 1;
  }
  return genome;
}

std::string to_text(const Genome& genome) {
  std::string out;
  for (size_t l = 0; l < genome.livs.size(); ++l) {
    LivGene gene = genome.livs[l];
    if (l > 0) out += '-';
    for (int i = 0; i < kGenesPerLiv; ++i) {
      const int v = gene_at(gene, i);
      // A value with no base-36 digit would print as text that does not parse back.
      if (v < 0 || v > 35)
        throw GenomeError("to_text: LIV " + std::to_string(l + 1) + ", position " + std::to_string(i + 1) + ": " +
                          std::to_string(v) + " has no base-36 digit (0..35)");
      out += digit_char(v);
    }
  }
  return out;
}

std::vector<int> flatten(const Genome& genome) {
  std::vector<int> values;
  for (auto gene : genome.livs)
    for (int i = 0; i < kGenesPerLiv; ++i) values.push_back(gene_at(gene, i));
  return values;
}

Genome unflatten(const std::vector<int>& values) {
  if (values.size() % kGenesPerLiv != 0)
    throw std::invalid_argument("unflatten: " + std::to_string(values.size()) + " values is not a multiple of 5");
  Genome genome;
  for (size_t i = 0; i < values.size(); i += kGenesPerLiv) {
    LivGene gene;
    for (int j = 0; j < kGenesPerLiv; ++j) gene_at(gene, j) = values[i + j];
    genome.livs.push_back(gene);
  }
  return genome;
}

}  // namespace star::genome
