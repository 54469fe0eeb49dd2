#pragma once
// Where a GPU waits between its own kernels: in a stretch of one stream's activities (a training
// step replayed as a CUDA graph, say) the time between one activity's end and the next one's
// start is time the GPU had nothing to run, whatever the host did. Summed by the pair of
// activities around each gap, it says which launches come late (`star bench train --profile`).
// No torch: the activities come from the profiler (bench/kernel_profile.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "bench/busy_intervals.hpp"

namespace star::bench {

struct NamedInterval {
  BusyInterval span;
  std::string name;
};

struct IdleGap {
  std::string before, after;  // the activity that ended and the one that started next
  int64_t total_ns = 0, count = 0;
};

// Gaps between consecutive activities (sorted by start; a gap runs from the latest end so far to
// the next start, where that is later), summed by (before, after) pair; the largest total first.
// Activities that overlap leave no gap.
std::vector<IdleGap> idle_gaps(std::vector<NamedInterval> activities);

// A kernel's name as a person reads it: a Kokkos kernel's demangled name becomes its source file
// and function ("add_rms_norm.cpp forward_rows"); other names are cut to `width` characters.
std::string short_kernel_name(const std::string& name, size_t width = 70);

}  // namespace star::bench
