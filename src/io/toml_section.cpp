#include "io/toml_section.hpp"

#include <algorithm>
#include <sstream>

#include "genome/excerpt.hpp"
#include "io/config.hpp"

namespace star::io {
namespace {

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string show(const toml::node& node) {
  std::ostringstream out;
  if (auto s = node.as_string()) out << '"' << excerpt(s->get()) << '"';
  else if (auto i = node.as_integer()) out << i->get();
  else if (auto f = node.as_floating_point()) out << f->get();
  else out << type_name(node);
  return out.str();
}

}  // namespace

TomlSection::TomlSection(const toml::table* table, std::string name, std::string file)
    : table_(table), name_(std::move(name)), file_(std::move(file)) {}

const toml::node* TomlSection::find(const std::string& key) {
  read_.insert(key);
  return table_ ? table_->get(key) : nullptr;
}

std::string TomlSection::where(const toml::node* node, const std::string& key) const {
  std::ostringstream out;
  out << file_;
  if (node && node->source().begin.line > 0) out << ":" << node->source().begin.line;
  out << ": [" << name_ << "] " << excerpt(key);
  return out.str();
}

void TomlSection::fail(const std::string& key, const std::string& problem) const {
  const toml::node* node = table_ ? table_->get(key) : nullptr;
  throw ConfigError(where(node, key) + ": " + problem);
}

int64_t TomlSection::integer(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  const toml::node* node = find(key);
  if (!node) return fallback;
  auto v = node->as_integer();
  if (!v) throw ConfigError(where(node, key) + ": expected an integer, got " + show(*node));
  if (v->get() < min || v->get() > max)
    throw ConfigError(where(node, key) + ": " + std::to_string(v->get()) + " is outside " + std::to_string(min) +
                      ".." + std::to_string(max));
  return v->get();
}

double TomlSection::number(const std::string& key, double fallback, double min, double max) {
  const toml::node* node = find(key);
  if (!node) return fallback;
  return checked_number(*node, key, "a number, got", min, max);
}

double TomlSection::checked_number(const toml::node& node, const std::string& key, const char* expected, double min,
                                   double max) const {
  double value;
  if (auto f = node.as_floating_point()) value = f->get();
  else if (auto i = node.as_integer()) value = static_cast<double>(i->get());
  else throw ConfigError(where(&node, key) + ": expected " + expected + " " + show(node));
  if (!(value >= min && value <= max)) {
    std::ostringstream out;
    out << where(&node, key) << ": " << value << " is outside " << min << ".." << max;
    throw ConfigError(out.str());
  }
  return value;
}

bool TomlSection::boolean(const std::string& key, bool fallback) {
  const toml::node* node = find(key);
  if (!node) return fallback;
  auto v = node->as_boolean();
  if (!v) throw ConfigError(where(node, key) + ": expected true or false, got " + show(*node));
  return v->get();
}

std::string TomlSection::string(const std::string& key, const std::string& fallback,
                                const std::vector<std::string>& allowed) {
  const toml::node* node = find(key);
  if (!node) return fallback;
  auto v = node->as_string();
  if (!v) throw ConfigError(where(node, key) + ": expected a string, got " + show(*node));
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v->get()) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
    throw ConfigError(where(node, key) + ": \"" + excerpt(v->get()) + "\" is not one of " + list);
  }
  return v->get();
}

std::vector<std::string> TomlSection::strings(const std::string& key, const std::vector<std::string>& fallback) {
  const toml::node* node = find(key);
  if (!node) return fallback;
  auto arr = node->as_array();
  if (!arr) throw ConfigError(where(node, key) + ": expected an array of strings, got " + show(*node));
  std::vector<std::string> out;
  for (const auto& item : *arr) {
    auto s = item.as_string();
    if (!s) throw ConfigError(where(&item, key) + ": expected an array of strings, found " + show(item));
    out.push_back(s->get());
  }
  return out;
}

std::vector<int64_t> TomlSection::integers(const std::string& key, const std::vector<int64_t>& fallback, int64_t min,
                                           int64_t max) {
  const toml::node* node = find(key);
  if (!node) return fallback;
  auto arr = node->as_array();
  if (!arr) throw ConfigError(where(node, key) + ": expected an array of integers, got " + show(*node));
  std::vector<int64_t> out;
  for (const auto& item : *arr) {
    auto i = item.as_integer();
    if (!i) throw ConfigError(where(&item, key) + ": expected an array of integers, found " + show(item));
    if (i->get() < min || i->get() > max)
      throw ConfigError(where(&item, key) + ": " + std::to_string(i->get()) + " is outside " + std::to_string(min) +
                        ".." + std::to_string(max));
    out.push_back(i->get());
  }
  return out;
}

std::vector<double> TomlSection::numbers(const std::string& key, const std::vector<double>& fallback, double min,
                                         double max) {
  const toml::node* node = find(key);
  if (!node) return fallback;
  auto arr = node->as_array();
  if (!arr) throw ConfigError(where(node, key) + ": expected an array of numbers, got " + show(*node));
  std::vector<double> out;
  for (const auto& item : *arr) out.push_back(checked_number(item, key, "an array of numbers, found", min, max));
  return out;
}

std::vector<std::pair<double, double>> TomlSection::number_pairs(const std::string& key,
                                                                const std::vector<std::pair<double, double>>& fallback,
                                                                double min_a, double max_a, double min_b, double max_b) {
  const toml::node* node = find(key);
  if (!node) return fallback;
  auto arr = node->as_array();
  if (!arr) throw ConfigError(where(node, key) + ": expected an array of [number, number] pairs, got " + show(*node));
  std::vector<std::pair<double, double>> out;
  for (const auto& item : *arr) {
    auto pair = item.as_array();
    if (!pair || pair->size() != 2)
      throw ConfigError(where(&item, key) + ": expected a [number, number] pair, found " + show(item));
    out.emplace_back(checked_number(*pair->get(0), key, "a number, found", min_a, max_a),
                     checked_number(*pair->get(1), key, "a number, found", min_b, max_b));
  }
  return out;
}

const toml::table* TomlSection::table(const std::string& key) {
  const toml::node* node = find(key);
  if (!node) return nullptr;
  if (!node->is_table()) throw ConfigError(where(node, key) + ": expected a table, got " + show(*node));
  return node->as_table();
}

void TomlSection::finish() const {
  if (!table_) return;
  for (const auto& [key, node] : *table_) {
    const std::string k(key.str());
    if (!read_.count(k)) {
      std::string known;
      for (const auto& r : read_) known += (known.empty() ? "" : ", ") + r;
      throw ConfigError(where(&node, k) + ": unknown key (known keys of [" + name_ + "]: " + known + ")");
    }
  }
}

}  // namespace star::io
