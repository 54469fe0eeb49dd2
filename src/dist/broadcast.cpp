#include "dist/broadcast.hpp"

#include <cstdint>

namespace star::dist {

void broadcast_strings(std::vector<std::string>& values, MPI_Comm comm) {
  // One buffer of NUL-separated strings, its length sent first.
  std::string packed;
  for (const auto& v : values) {
    packed += v;
    packed.push_back('\0');
  }
  int64_t sizes[2] = {static_cast<int64_t>(values.size()), static_cast<int64_t>(packed.size())};
  MPI_Bcast(sizes, 2, MPI_INT64_T, 0, comm);
  packed.resize(static_cast<size_t>(sizes[1]));
  if (sizes[1] > 0) MPI_Bcast(packed.data(), static_cast<int>(sizes[1]), MPI_CHAR, 0, comm);
  values.clear();
  size_t start = 0;
  for (int64_t i = 0; i < sizes[0]; ++i) {
    const size_t end = packed.find('\0', start);
    values.push_back(packed.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace star::dist
