#pragma once
// The firefly algorithm behind the ask/tell interface (genomes only: the moves are on the
// genome's integers, evolve/firefly.hpp). ask: every firefly but the `elite_count` brightest
// moves toward the brighter ones, brightness the weighted sum of the objectives under the
// constraints; tell: the moved fireflies replace all but the elites, as in the GA.
#include "evolve/firefly.hpp"
#include "genome/genome_space.hpp"
#include "search/genetic_algorithm.hpp"

namespace star::search {

class FireflyAlgorithm : public GenerationalAlgorithm<genome::Genome> {
 public:
  using Initial = std::function<std::vector<genome::Genome>(int count, genome::Rng& rng)>;
  FireflyAlgorithm(int size, int elite_count, std::vector<double> weights, const genome::GenomeSpace& space,
                   const evolve::FireflySettings& settings, Initial initial);

  std::vector<genome::Genome> ask(genome::Rng& rng) override;

 private:
  genome::GenomeSpace space_;
  evolve::FireflySettings settings_;
  Initial initial_;
};

}  // namespace star::search
