#include "evolve/crowding_distance.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace star::evolve {

std::vector<double> crowding_distance(const ObjectiveMatrix& f, const std::vector<int>& front) {
  const size_t n = front.size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> distance(n, 0.0);
  if (n <= 2) return std::vector<double>(n, inf);
  const size_t objectives = f[front[0]].size();
  std::vector<size_t> order(n);
  for (size_t m = 0; m < objectives; ++m) {
    std::iota(order.begin(), order.end(), 0);
    // Ties broken by position so the result does not depend on the sort's implementation.
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const double fa = f[front[a]][m], fb = f[front[b]][m];
      return fa < fb || (fa == fb && a < b);
    });
    const double lo = f[front[order.front()]][m], hi = f[front[order.back()]][m];
    // An objective equal across the front has no extremes to keep: it adds nothing, not even
    // infinity to whichever members the tie-break happens to put first and last.
    if (!(hi > lo)) continue;
    distance[order.front()] = inf;
    distance[order.back()] = inf;
    for (size_t k = 1; k + 1 < n; ++k)
      distance[order[k]] += (f[front[order[k + 1]]][m] - f[front[order[k - 1]]][m]) / (hi - lo);
  }
  return distance;
}

}  // namespace star::evolve
