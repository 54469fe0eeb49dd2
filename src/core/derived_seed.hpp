#pragma once
// A seed derived from another seed and a name (a genome's text, a task's kind): FNV-1a over the
// name, keyed by the seed. Plain C++ (no torch).
#include <cstdint>
#include <string_view>

namespace star::train {

inline uint64_t derived_seed(uint64_t seed, std::string_view name) {
  uint64_t h = 1469598103934665603ULL ^ (seed * 0x9e3779b97f4a7c15ULL);
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h & 0x7fffffffffffffffULL;  // torch seeds are signed-safe this way
}

}  // namespace star::train
