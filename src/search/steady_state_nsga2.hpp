#pragma once
// Asynchronous steady-state NSGA-II on real-valued test problems: no generation barrier. Several
// workers evaluate at once; the moment one finishes, its candidate enters the population by
// NSGA-II's survival (the population and it, less the worst by rank and crowding), and the worker
// gets a new candidate bred (tournaments, SBX, polynomial mutation) from the population as it
// stands then. How long each evaluation takes is drawn (log-normal), so results arrive out of
// order as on a cluster; the draws come from the seed, so a run is reproducible. What
// `star moo --mode steady_state` runs, to check the engine against generational NSGA-II for the
// same number of evaluations.
#include "search/real_nsga2.hpp"

namespace star::search {

struct SteadyStateSettings {
  int workers = 8;              // evaluations in flight
  double duration_sigma = 1.0;  // log-normal sigma of an evaluation's duration (0: all equal)
};

// Evaluates the random first population, then population x generations candidates. The
// hypervolume is recorded after every `population` finished candidates (one entry per
// generation's worth), so it compares with run_nsga2's. Throws std::invalid_argument for fewer
// than 1 worker, a negative sigma or a population below 2.
RealRunResult run_steady_state_nsga2(const evolve::TestProblem& problem, const RealRunSettings& settings,
                                     const SteadyStateSettings& steady, const std::vector<double>& hypervolume_reference);

}  // namespace star::search
