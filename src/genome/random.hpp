#pragma once
// The run's random generator. Every random choice of a search draws from one of these, and its
// state is saved in each checkpoint so a restarted run makes the same choices.
#include <cstdint>
#include <random>
#include <string>

namespace star::genome {

using Rng = std::mt19937_64;

// Uniform integer in [lo, hi] (inclusive).
int uniform_int(Rng& rng, int lo, int hi);
// Uniform real in [0, 1).
double uniform_real(Rng& rng);

std::string rng_state(const Rng& rng);
// Throws std::invalid_argument when `state` is not a saved generator state.
void restore_rng_state(Rng& rng, const std::string& state);

}  // namespace star::genome
