#pragma once
// User input quoted inside an error message: at most 80 characters of it, control characters
// shown as '?', so a megabyte genome or a binary file still gives one short line. (Here, at the
// bottom of the layers, so that genome, io and the commands quote input alike.)
#include <cstddef>
#include <string>
#include <string_view>

namespace star {

inline std::string excerpt(std::string_view text, size_t limit = 80) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += c < 0x20 || c == 0x7f ? '?' : text[i];
  }
  if (text.size() > limit) out += "... (" + std::to_string(text.size()) + " characters)";
  return out;
}

}  // namespace star
