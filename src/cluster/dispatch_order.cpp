#include "cluster/dispatch_order.hpp"

#include <algorithm>
#include <numeric>

namespace star::cluster {

std::vector<int> dispatch_order(const std::vector<double>& costs, DispatchPolicy policy) {
  std::vector<int> order(costs.size());
  std::iota(order.begin(), order.end(), 0);
  if (policy == DispatchPolicy::longest_first)
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return costs[a] > costs[b]; });
  return order;
}

}  // namespace star::cluster
