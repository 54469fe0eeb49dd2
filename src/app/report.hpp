#pragma once
// What rank 0 prints after each generation: counts, timing and the best genomes.
#include <cstdio>
#include <string>
#include <vector>

#include "io/run_history.hpp"

namespace star::app {

void print_generation(std::FILE* out, const io::GenerationRecord& record, int generations,
                      const std::vector<std::string>& objective_names, int trained, int reused, double seconds,
                      int show = 5);

}  // namespace star::app
