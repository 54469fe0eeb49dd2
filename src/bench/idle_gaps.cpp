#include "bench/idle_gaps.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace star::bench {

std::vector<IdleGap> idle_gaps(std::vector<NamedInterval> activities) {
  std::stable_sort(activities.begin(), activities.end(),
                   [](const NamedInterval& a, const NamedInterval& b) { return a.span.start_ns < b.span.start_ns; });
  std::map<std::pair<std::string, std::string>, IdleGap> by_pair;
  for (size_t i = 1, latest = 0; i < activities.size(); ++i) {
    const auto& next = activities[i];
    const auto& last = activities[latest];  // the activity that ends latest so far
    if (next.span.start_ns > last.span.end_ns) {
      auto& gap = by_pair[{last.name, next.name}];
      gap.total_ns += next.span.start_ns - last.span.end_ns;
      gap.count += 1;
    }
    if (next.span.end_ns >= last.span.end_ns) latest = i;
  }
  std::vector<IdleGap> gaps;
  for (auto& [names, gap] : by_pair) {
    gap.before = names.first;
    gap.after = names.second;
    gaps.push_back(std::move(gap));
  }
  std::stable_sort(gaps.begin(), gaps.end(), [](const IdleGap& a, const IdleGap& b) { return a.total_ns > b.total_ns; });
  return gaps;
}

std::string short_kernel_name(const std::string& name, size_t width) {
  // "void Kokkos::Impl::cuda_parallel_launch_local_memory<Kokkos::Impl::ParallelFor<
  // _INTERNAL_d4d89f59_16_add_rms_norm_cpp_f88dab08::star::kernels::(anonymous namespace)::
  // forward_rows<2, Kokkos::Cuda, ...>(...)::{lambda...}, ...>": the file is what lies between
  // "_INTERNAL_<hash>_<length>_" and "_cpp_", the function the first name after the namespace.
  const auto cut = [&] { return name.size() <= width ? name : name.substr(0, width); };
  const auto internal = name.find("_INTERNAL_");
  if (internal == std::string::npos) return cut();
  const auto hash_end = name.find('_', internal + 10), length_end = name.find('_', hash_end + 1);
  const auto file_end = name.find("_cpp_", length_end);
  const std::string anonymous = "(anonymous namespace)::";
  const auto function = name.find(anonymous, file_end);
  if (hash_end == std::string::npos || length_end == std::string::npos || file_end == std::string::npos ||
      function == std::string::npos)
    return cut();
  const auto from = function + anonymous.size();
  const auto to = name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", from);
  return name.substr(length_end + 1, file_end - length_end - 1) + ".cpp " + name.substr(from, to - from);
}

}  // namespace star::bench
