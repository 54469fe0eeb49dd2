#pragma once
// Replays a generation on G groups without training anything: genome costs (seconds, or any
// unit) are handed out in dispatch order, each to the group that becomes free first, as the real
// work queue does (a group asks for the next genome the moment it finishes one).
#include <vector>

#include "dist/dispatch_order.hpp"

namespace star::dist {

struct SimulatedGeneration {
  double makespan = 0;       // from the first genome handed out to the last one finished
  double busy = 0;           // sum of all costs (the groups' busy time together)
  double idle_fraction = 0;  // 1 - busy / (groups x makespan): time groups wait for the last genome
};

// Throws std::invalid_argument when groups < 1.
SimulatedGeneration simulate_generation(const std::vector<double>& costs, int groups, DispatchPolicy policy);

}  // namespace star::dist
