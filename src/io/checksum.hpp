#pragma once
// FNV-1a, 64 bits: the checksum of journal lines and of a results file's contents. Not
// cryptographic; it catches torn writes and flipped bytes, which is all it is for.
#include <cstdint>
#include <string>

namespace star::io {

constexpr uint64_t kFnvOffset = 1469598103934665603ULL;

inline uint64_t fnv1a(const void* data, size_t size, uint64_t h = kFnvOffset) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    h ^= bytes[i];
    h *= 1099511628211ULL;
  }
  return h;
}

inline uint64_t fnv1a(const std::string& text, uint64_t h = kFnvOffset) { return fnv1a(text.data(), text.size(), h); }

}  // namespace star::io
