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
  if (in.fail()) throw std::invalid_argument("not a saved random generator state");
  rng = restored;
}

}  // namespace star::genome
