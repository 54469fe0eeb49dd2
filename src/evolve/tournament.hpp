#pragma once
// Tournament selection on NSGA-II's crowded comparison (binary tournament when size is 2).
#include "evolve/survival.hpp"
#include "genome/random.hpp"

namespace star::evolve {

// Draws `size` individuals uniformly (with replacement) and returns the best of them by
// crowded_less (the first drawn wins ties). Throws std::invalid_argument for size < 1.
int tournament(const Ranking& r, int size, genome::Rng& rng);

}  // namespace star::evolve
