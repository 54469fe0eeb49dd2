#pragma once
// The order in which a generation's genomes are handed out. The work queue gives each free group
// the next genome in this order, so handing out the longest first (LPT, longest processing time
// first) keeps a long genome from starting last and leaving the other groups idle at the end of
// the generation. Pure functions: the simulator replays the same policy.
#include <vector>

namespace star::cluster {

enum class DispatchPolicy { in_order, longest_first };

// Indices of `costs` in dispatch order: longest_first sorts by cost, largest first, ties in their
// given order (stable, so the order is the same on every run); in_order is 0..n-1.
std::vector<int> dispatch_order(const std::vector<double>& costs, DispatchPolicy policy);

}  // namespace star::cluster
