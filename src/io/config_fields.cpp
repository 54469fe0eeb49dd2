#include "io/config_fields.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace star::io::fields {

std::string exact(int64_t value) { return std::to_string(value); }

std::string exact(double value) {
  char text[40];
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {  // whole: written as an integer
    std::snprintf(text, sizeof text, "%.0f", value);
    return text;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

std::string exact(const std::string& value) { return "\"" + value + "\""; }

std::string range(int64_t min, int64_t max) { return exact(min) + ".." + exact(max); }

std::string range(double min, double max) { return exact(min) + ".." + exact(max); }

std::string one_of(const std::vector<std::string>& allowed) {
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + exact(a);
  return list;
}

}  // namespace star::io::fields
