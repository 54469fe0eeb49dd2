#pragma once
// Doubles as text that reads back bit for bit (C's hex floats, "%a"), alone or as a
// comma-separated list: the journal's lines and the work queue's hand-outs write them so.
#include <string>
#include <vector>

namespace star::core {

std::string exact_text(double value);
bool parse_exact(const std::string& text, double& value);  // false unless the whole text is one number

std::string exact_list_text(const std::vector<double>& values);  // "a,b,c"; "" for none
bool parse_exact_list(const std::string& text, std::vector<double>& values);  // false for a bad value

}  // namespace star::core
