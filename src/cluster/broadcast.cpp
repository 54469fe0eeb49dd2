#include "cluster/broadcast.hpp"

#include <cstdint>
#include <numeric>

namespace star::cluster {

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

std::vector<std::string> allgather_strings(const std::string& value, MPI_Comm comm) {
  // Lengths first, then the characters of all ranks back to back.
  int size = 1;
  MPI_Comm_size(comm, &size);
  const int length = static_cast<int>(value.size());
  std::vector<int> lengths(size), offsets(size, 0);
  MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, comm);
  std::partial_sum(lengths.begin(), lengths.end() - 1, offsets.begin() + 1);
  std::string packed(static_cast<size_t>(offsets.back() + lengths.back()), '\0');
  MPI_Allgatherv(value.data(), length, MPI_CHAR, packed.data(), lengths.data(), offsets.data(), MPI_CHAR, comm);
  std::vector<std::string> values;
  for (int r = 0; r < size; ++r) values.push_back(packed.substr(offsets[r], lengths[r]));
  return values;
}

}  // namespace star::cluster
