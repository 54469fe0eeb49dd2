#pragma once
// Typed, checked reads of one TOML table. Each read names the file, line, section and key when
// the value is missing its type or range; finish() rejects keys nobody read (typos).
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <toml++/toml.h>

namespace star::io {

class TomlSection {
 public:
  // `table` may be null (section absent: every read returns its default).
  TomlSection(const toml::table* table, std::string name, std::string file);

  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  double number(const std::string& key, double fallback, double min, double max);
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key, const std::string& fallback,
                     const std::vector<std::string>& allowed = {});
  std::vector<std::string> strings(const std::string& key, const std::vector<std::string>& fallback);
  std::vector<int64_t> integers(const std::string& key, const std::vector<int64_t>& fallback, int64_t min, int64_t max);
  std::vector<double> numbers(const std::string& key, const std::vector<double>& fallback, double min, double max);
  // An array of two-number arrays ([[a, b], ...]), each a in [min_a, max_a] and b in [min_b, max_b].
  std::vector<std::pair<double, double>> number_pairs(const std::string& key,
                                                      const std::vector<std::pair<double, double>>& fallback,
                                                      double min_a, double max_a, double min_b, double max_b);
  // A table inside this one ([section.key]); null when absent.
  const toml::table* table(const std::string& key);

  void finish() const;  // throws ConfigError naming every key that is not part of the section
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

 private:
  const toml::node* find(const std::string& key);
  std::string where(const toml::node* node, const std::string& key) const;
  // The node's value as a double within [min, max]; `expected` completes "expected ... <value>".
  double checked_number(const toml::node& node, const std::string& key, const char* expected, double min,
                        double max) const;

  const toml::table* table_;
  std::string name_, file_;
  std::set<std::string> read_;
};

}  // namespace star::io
