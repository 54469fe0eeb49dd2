#include "search/genome_algorithm.hpp"

#include <stdexcept>

#include "evolve/offspring.hpp"
#include "search/firefly_algorithm.hpp"
#include "search/genetic_algorithm.hpp"
#include "search/nsga2.hpp"
#include "search/selection.hpp"

namespace star::search {

std::unique_ptr<GenomeAlgorithm> make_genome_algorithm(const io::Config& config) {
  const auto& evolution = config.evolution;
  const auto initial = [config](int, genome::Rng& rng) {
    std::vector<genome::Genome> out;
    for (const auto& text : initial_candidates(config, rng)) out.push_back(genome::parse_genome(text));
    return out;
  };
  if (evolution.algorithm == "firefly") {
    const evolve::FireflySettings settings{evolution.firefly_beta0, evolution.firefly_gamma, evolution.firefly_alpha};
    return std::make_unique<FireflyAlgorithm>(evolution.population, evolution.elite_count, evolution.weights,
                                              config.genome, settings, initial);
  }
  Operators<genome::Genome> operators;
  operators.initial = initial;
  operators.offspring = [space = config.genome, variation = variation_settings(evolution)](
                            const std::vector<genome::Genome>& parents, const evolve::Ranking& ranking, int count,
                            genome::Rng& rng) {
    return evolve::make_offspring(parents, ranking, count, space, variation, rng);
  };
  if (evolution.algorithm == "nsga2") return std::make_unique<Nsga2<genome::Genome>>(evolution.population, operators);
  if (evolution.algorithm == "ga")
    return std::make_unique<GeneticAlgorithm<genome::Genome>>(evolution.population, evolution.elite_count,
                                                              evolution.weights, operators);
  throw std::invalid_argument("unknown [evolution] algorithm '" + evolution.algorithm + "'");
}

}  // namespace star::search
