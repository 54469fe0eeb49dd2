#include "core/exact_text.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace star::core {

std::string exact_text(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", value);
  return buf;
}

bool parse_exact(const std::string& text, double& value) {
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

std::string exact_list_text(const std::vector<double>& values) {
  std::string out;
  for (double v : values) out += (out.empty() ? "" : ",") + exact_text(v);
  return out;
}

bool parse_exact_list(const std::string& text, std::vector<double>& values) {
  values.clear();
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    double v = 0;
    if (!parse_exact(part, v)) return false;
    values.push_back(v);
  }
  return true;
}

}  // namespace star::core
