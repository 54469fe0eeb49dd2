#include "bench/busy_intervals.hpp"

#include <algorithm>
#include <stdexcept>

namespace star::bench {

std::vector<BusyInterval> merge_intervals(std::vector<BusyInterval> intervals) {
  intervals.erase(std::remove_if(intervals.begin(), intervals.end(),
                                 [](const BusyInterval& i) { return i.end_ns <= i.start_ns; }),
                  intervals.end());
  std::sort(intervals.begin(), intervals.end(),
            [](const BusyInterval& a, const BusyInterval& b) { return a.start_ns < b.start_ns; });
  std::vector<BusyInterval> merged;
  for (const auto& i : intervals) {
    if (!merged.empty() && i.start_ns <= merged.back().end_ns) merged.back().end_ns = std::max(merged.back().end_ns, i.end_ns);
    else merged.push_back(i);
  }
  return merged;
}

int64_t covered_ns(const std::vector<BusyInterval>& merged, int64_t from, int64_t to) {
  int64_t total = 0;
  for (const auto& i : merged) total += std::max<int64_t>(0, std::min(i.end_ns, to) - std::max(i.start_ns, from));
  return total;
}

std::vector<int64_t> flatten(const std::vector<BusyInterval>& intervals) {
  std::vector<int64_t> out;
  out.reserve(2 * intervals.size());
  for (const auto& i : intervals) {
    out.push_back(i.start_ns);
    out.push_back(i.end_ns);
  }
  return out;
}

std::vector<BusyInterval> unflatten(const std::vector<int64_t>& numbers) {
  if (numbers.size() % 2 != 0) throw std::invalid_argument("busy intervals: an odd count of numbers");
  std::vector<BusyInterval> out(numbers.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) out[i] = {numbers[2 * i], numbers[2 * i + 1]};
  return out;
}

}  // namespace star::bench
