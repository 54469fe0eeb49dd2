#pragma once
// What rank 0 prints after each generation: counts, hypervolume, timing and the best genomes.
#include <cstdio>
#include <string>
#include <vector>

#include "cluster/work_queue.hpp"
#include "io/run_history.hpp"

namespace star::app {

// The hypervolume is shown as a fraction of the box below `reference` (the run's reference
// point), "n/a" while there is none.
void print_generation(std::FILE* out, const io::GenerationRecord& record, int generations,
                      const std::vector<std::string>& objective_names, const std::vector<double>& reference,
                      int trained, int reused, double seconds, int show = 5);

// One line: how busy the rank groups were while the queue served them, and the idle fraction.
void print_queue_time(std::FILE* out, const cluster::QueueTime& time);

}  // namespace star::app
