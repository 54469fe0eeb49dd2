#include "genome/random.hpp"

#include <sstream>
#include <stdexcept>

namespace star::genome {

int uniform_int(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

double uniform_real(Rng& rng) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

std::string rng_state(const Rng& rng) {
  std::ostringstream out;
  out << rng;
  return out.str();
}

void restore_rng_state(Rng& rng, const std::string& state) {
  std::istringstream in(state);
  Rng restored;
  in >> restored;
  // A state is 313 whitespace-separated numbers for mt19937_64; anything left over means the
  // text is something else (or two states glued together).
  std::string rest;
  if (in.fail() || in >> rest)
    throw std::invalid_argument("restore_rng_state: \"" + state.substr(0, 40) + (state.size() > 40 ? "..." : "") +
                                "\" is not a saved random generator state (from rng_state)");
  rng = restored;
}

}  // namespace star::genome
