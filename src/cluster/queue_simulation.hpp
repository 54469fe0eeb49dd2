#pragma once
// Replays genome costs (seconds, or any unit) on G groups without training anything, as the real
// work queue hands them out: a group asks for the next genome the moment it finishes one.
// Generational: one generation's genomes in dispatch order, the run waiting for the slowest
// before the next generation. Steady-state: no barrier, candidates made one at a time.
#include <vector>

#include "cluster/dispatch_order.hpp"

namespace star::cluster {

struct SimulatedSchedule {
  double makespan = 0;       // from the first genome handed out to the last one finished
  double busy = 0;           // sum of all costs (the groups' busy time together)
  double idle_fraction = 0;  // 1 - busy / (groups x makespan): time groups wait with nothing to do
};

// One generation, its genomes in `policy`'s order, each to the group free first.
// Throws std::invalid_argument when groups < 1.
SimulatedSchedule simulate_generation(const std::vector<double>& costs, int groups, DispatchPolicy policy);

// A steady-state run over costs in the order the candidates are made (each is made when a group
// frees up, so no order can be chosen), each to the group free first. With wide_above > 0, a
// candidate costing more than wide_above x the median cost runs data-parallel on
// k = min(groups, ceil(cost / (wide_above x median))) groups in cost / k (perfect scaling: an
// optimistic bound for the real run), starting once k groups are free; its cost counts once.
// Throws std::invalid_argument when groups < 1 or wide_above < 0.
SimulatedSchedule simulate_steady_state(const std::vector<double>& costs, int groups, double wide_above = 0);

}  // namespace star::cluster
