#include "search/firefly_algorithm.hpp"

namespace star::search {

FireflyAlgorithm::FireflyAlgorithm(int size, int elite_count, std::vector<double> weights,
                                   const genome::GenomeSpace& space, const evolve::FireflySettings& settings,
                                   Initial initial)
    : GenerationalAlgorithm<genome::Genome>(size, elite_count, std::move(weights)),
      space_(space),
      settings_(settings),
      initial_(std::move(initial)) {}

std::vector<genome::Genome> FireflyAlgorithm::ask(genome::Rng& rng) {
  if (population_.empty()) return initial_(size_, rng);
  return evolve::move_fireflies(solutions(), ranking(), elite_count_, space_, settings_, rng);
}

}  // namespace star::search
