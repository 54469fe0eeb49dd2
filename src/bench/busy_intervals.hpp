#pragma once
// How long a GPU was busy, from the intervals in which its kernels and copies ran: their union,
// so work that overlaps (several streams, or several processes sharing the GPU) counts once and
// the gaps between launches count as idle. No torch: the intervals come from the profiler
// (app/kernel_profile.hpp) and travel between ranks as plain numbers.
#include <cstdint>
#include <vector>

namespace star::bench {

struct BusyInterval {
  int64_t start_ns = 0, end_ns = 0;  // [start, end), nanoseconds on one clock
};

// Sorted by start, disjoint and not touching: overlapping or adjacent intervals joined, empty
// ones dropped.
std::vector<BusyInterval> merge_intervals(std::vector<BusyInterval> intervals);

// Nanoseconds of [from, to) covered by `merged` (merge_intervals' output).
int64_t covered_ns(const std::vector<BusyInterval>& merged, int64_t from, int64_t to);

// The intervals as numbers (start, end, start, end, ...) for MPI, and back.
std::vector<int64_t> flatten(const std::vector<BusyInterval>& intervals);
std::vector<BusyInterval> unflatten(const std::vector<int64_t>& numbers);

}  // namespace star::bench
