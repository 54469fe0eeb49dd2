#include "evolve/tournament.hpp"

#include <stdexcept>
#include <string>

namespace star::evolve {

int tournament(const Ranking& r, int size, genome::Rng& rng) {
  const int n = static_cast<int>(r.front_rank.size());
  if (n == 0) throw std::invalid_argument("tournament on an empty population");
  if (size < 1) throw std::invalid_argument("tournament size must be at least 1, got " + std::to_string(size));
  int best = genome::uniform_int(rng, 0, n - 1);
  for (int k = 1; k < size; ++k) {
    const int challenger = genome::uniform_int(rng, 0, n - 1);
    if (crowded_less(r, challenger, best)) best = challenger;
  }
  return best;
}

}  // namespace star::evolve
