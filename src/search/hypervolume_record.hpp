#pragma once
// The hypervolume each generation records: of the population's feasible members (trained, and
// within the budgets), against one reference point for the whole run: [evolution]
// reference_point, or else 1.1 x the worst value of each objective among the feasible genomes
// evaluated by the first generation that has any (generation 0 unless all of its trainings
// failed or broke a budget). analysis/report.py uses the same rule for files without it.
#include <vector>

#include "io/config.hpp"
#include "io/run_history.hpp"

namespace star::search {

// Sets history.hypervolume_reference when a generation allows it, and the hypervolume of every
// generation from `first` on (0 while there is no reference). A pure function of the
// configuration and the history: a resumed run records the same numbers.
void record_hypervolumes(io::RunHistory& history, const io::Config& config, size_t first);

// Whether an individual counts as feasible for selection and for the hypervolume.
bool within_budgets(const io::Individual& individual, const io::EvolutionSettings& evolution);

}  // namespace star::search
