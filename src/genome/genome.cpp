#include "genome/genome.hpp"

#include <algorithm>

#include "genome/base36.hpp"
#include "genome/excerpt.hpp"
#include "genome/genome_space.hpp"
#include "genome/liv_class.hpp"

namespace star::genome {

bool LivGene::operator==(const LivGene& o) const {
  return cls == o.cls && featurizer_group == o.featurizer_group && featurizer_strategy == o.featurizer_strategy &&
         feature_group == o.feature_group && feature_group_strategy == o.feature_group_strategy;
}

namespace {

// ";c=spec;c=spec" after the backbone, into genome.operators.
// Every entry is non-empty: ";" alone, ";;" and a trailing ';' are errors, not empty entries.
void parse_operator_entries(std::string_view entries, const std::string& quoted, Genome& genome) {
  size_t start = 0;
  while (true) {
    const size_t end = std::min(entries.find(';', start), entries.size());
    const std::string entry(entries.substr(start, end - start));
    const size_t eq = entry.find('=');
    if (entry.empty()) throw GenomeError(quoted + ": an empty operator entry (a ';' at the end or two in a row)");
    if (eq == std::string::npos || eq == 0)
      throw GenomeError(quoted + ": operator entry \"" + excerpt(entry) +
                        "\" is not <class>=<operator genome>:<featurizer genes>");
    const std::string class_text = entry.substr(0, eq);
    int cls = 0;
    for (char ch : class_text) {
      const int v = digit_value(ch);
      if (v < 0)
        throw GenomeError(quoted + ": operator entry \"" + excerpt(entry) + "\": class '" + excerpt(class_text) +
                          "' is not a number");
      // Classes are one or two base-36 digits; a longer number is reported as given, never wrapped.
      if (cls > 36 * 36) throw GenomeError(quoted + ": operator entry for class '" + excerpt(class_text) + "': no such class");
      cls = cls * 36 + v;
    }
    const std::string where = quoted + ", operator entry for class " + std::to_string(cls);
    if (genome.operators.count(cls)) throw GenomeError(where + ": given twice");
    genome.operators[cls] = parse_operator(entry.substr(eq + 1), where);
    if (end == entries.size()) break;
    start = end + 1;
  }
}

}  // namespace

Genome parse_genome(std::string_view full_text) {
  const std::string quoted = "genome \"" + excerpt(full_text) + "\"";
  if (full_text.empty()) throw GenomeError(quoted + ": empty (expected LIVs like 21211-31112)");
  const size_t semicolon = std::min(full_text.find(';'), full_text.size());
  const std::string_view text = full_text.substr(0, semicolon);
  Genome genome;
  if (semicolon < full_text.size()) parse_operator_entries(full_text.substr(semicolon + 1), quoted, genome);
  size_t start = 0;
  while (true) {
    const size_t end = std::min(text.find('-', start), text.size());
    const std::string_view liv = text.substr(start, end - start);
    // Characters are counted from 1, like LIVs and positions.
    const std::string where = quoted + ": LIV " + std::to_string(genome.livs.size() + 1);
    if (liv.empty())
      throw GenomeError(where + " (character " + std::to_string(start + 1) +
                        ") is empty: two '-' in a row, or a '-' at the start or end");
    if (liv.size() != kGenesPerLiv && liv.size() != kMaxGenesPerLiv)
      throw GenomeError(where + " (characters " + std::to_string(start + 1) + "-" + std::to_string(end) + "): \"" +
                        excerpt(liv) + "\" has " + std::to_string(liv.size()) +
                        " characters, expected 5 (class, featurizer group and strategy, feature group and strategy) "
                        "or 6 (and the block gene)");
    LivGene gene;
    for (int i = 0; i < static_cast<int>(liv.size()); ++i) {
      const int v = digit_value(liv[i]);
      if (v < 0)
        throw GenomeError(where + ", position " + std::to_string(i + 1) + ": '" + excerpt(std::string(1, liv[i])) +
                          "' is not a digit (0-9, a-z)");
      gene_at(gene, i) = v;
    }
    // One text per architecture (the text is the genome's identity): the default block gene is
    // never written.
    if (liv.size() == kMaxGenesPerLiv && gene.block == 1)
      throw GenomeError(where + ", position 6 (block): 1 is the default block gene, written by leaving it out (\"" +
                        excerpt(liv.substr(0, kGenesPerLiv)) + "\")");
    genome.livs.push_back(gene);
    if (end == text.size()) break;
    start = end + 1;
  }
  for (const auto& entry : genome.operators)
    if (!uses_class(genome, entry.first))
      throw GenomeError(quoted + ": operator entry for class " + std::to_string(entry.first) + ", which no LIV uses");
  normalize_operators(genome);
  return genome;
}

std::string to_text(const Genome& genome) {
  std::string out;
  for (size_t l = 0; l < genome.livs.size(); ++l) {
    LivGene gene = genome.livs[l];
    if (l > 0) out += '-';
    for (int i = 0; i < (gene.block != 1 ? kMaxGenesPerLiv : kGenesPerLiv); ++i) {
      const int v = gene_at(gene, i);
      // A value with no base-36 digit would print as text that does not parse back.
      if (v < 0 || v > 35)
        throw GenomeError("to_text: LIV " + std::to_string(l + 1) + ", position " + std::to_string(i + 1) + ": " +
                          std::to_string(v) + " has no base-36 digit (0..35)");
      out += digit_char(v);
    }
  }
  for (const auto& [cls, spec] : genome.operators) {
    std::string cls_text;
    for (int c = cls; c > 0 || cls_text.empty(); c /= 36) cls_text.insert(cls_text.begin(), digit_char(c % 36));
    out += ";" + cls_text + "=" + operator_text(spec);
  }
  return out;
}

OperatorSpec operator_for(const Genome& genome, int cls) {
  auto it = genome.operators.find(cls);
  return it != genome.operators.end() ? it->second : preset_operator(cls);
}

bool uses_class(const Genome& genome, int cls) {
  return std::any_of(genome.livs.begin(), genome.livs.end(), [&](const LivGene& g) { return g.cls == cls; });
}

std::vector<int> classes_in(const Genome& genome) {
  std::vector<int> classes;
  for (const auto& g : genome.livs) classes.push_back(g.cls);
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  return classes;
}

void normalize_operators(Genome& genome) {
  for (auto it = genome.operators.begin(); it != genome.operators.end();) {
    const int cls = it->first;
    const bool preset = find_liv_class(cls) && it->second == preset_operator(cls);
    it = uses_class(genome, cls) && !preset ? std::next(it) : genome.operators.erase(it);
  }
}

std::vector<int> flatten(const Genome& genome, int genes) {
  std::vector<int> values;
  for (auto gene : genome.livs)
    for (int i = 0; i < genes; ++i) values.push_back(gene_at(gene, i));
  return values;
}

Genome unflatten(const std::vector<int>& values, int genes) {
  if (values.size() % static_cast<size_t>(genes) != 0)
    throw std::invalid_argument("unflatten: " + std::to_string(values.size()) + " values is not a multiple of " +
                                std::to_string(genes));
  Genome genome;
  for (size_t i = 0; i < values.size(); i += static_cast<size_t>(genes)) {
    LivGene gene;
    for (int j = 0; j < genes; ++j) gene_at(gene, j) = values[i + static_cast<size_t>(j)];
    genome.livs.push_back(gene);
  }
  return genome;
}

}  // namespace star::genome
