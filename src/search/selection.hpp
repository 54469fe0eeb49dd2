#pragma once
// What every search mode shares when it selects: the objective matrix and constraint violations
// NSGA-II compares, the ranking stored with a population, and the first population's candidates.
// No MPI and no torch.
#include <string>
#include <vector>

#include "evolve/objectives.hpp"
#include "evolve/offspring.hpp"
#include "genome/random.hpp"
#include "io/config.hpp"
#include "io/run_history.hpp"

namespace star::search {

// NSGA-II compares finite numbers; an infeasible genome's infinite quality becomes the largest
// finite value (it ranks behind every feasible genome anyway).
evolve::ObjectiveMatrix selection_matrix(const std::vector<io::Individual>& people);

// Each individual's violation of [evolution]'s budgets (0 within them).
evolve::Violations violations(const std::vector<io::Individual>& people, const io::EvolutionSettings& evolution);

// Sets every member's front_rank and crowding to NSGA-II's ranking of the population: the
// Pareto view the report draws, and the steady-state search's tournaments.
void store_ranking(std::vector<io::Individual>& population, const io::EvolutionSettings& evolution);

// The first population's candidates: the configuration's initial genomes (canonical, without
// repeats), then distinct random genomes drawn from `rng` (a small space that has too few
// allows repeats) up to the population size.
std::vector<std::string> initial_candidates(const io::Config& config, genome::Rng& rng);

// Tournament size, crossover points and mutation rate of [evolution].
evolve::VariationSettings variation_settings(const io::EvolutionSettings& evolution);

// An individual of `genome` with `result`, its objective values filled in.
io::Individual make_individual(const std::string& genome, const train::EvalResult& result,
                               const io::EvolutionSettings& evolution);

}  // namespace star::search
