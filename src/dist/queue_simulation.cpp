#include "dist/queue_simulation.hpp"

#include <functional>
#include <queue>
#include <stdexcept>

namespace star::dist {

SimulatedGeneration simulate_generation(const std::vector<double>& costs, int groups, DispatchPolicy policy) {
  if (groups < 1) throw std::invalid_argument("simulate_generation: groups must be at least 1");
  // Times at which each group is free again; the earliest takes the next genome.
  std::priority_queue<double, std::vector<double>, std::greater<double>> free_at;
  for (int g = 0; g < groups; ++g) free_at.push(0.0);
  SimulatedGeneration sim;
  for (int item : dispatch_order(costs, policy)) {
    const double start = free_at.top();
    free_at.pop();
    const double end = start + costs[item];
    free_at.push(end);
    sim.busy += costs[item];
    if (end > sim.makespan) sim.makespan = end;
  }
  sim.idle_fraction = sim.makespan > 0 ? 1.0 - sim.busy / (groups * sim.makespan) : 0.0;
  return sim;
}

}  // namespace star::dist
