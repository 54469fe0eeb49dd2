// The ask/tell interface itself: what each algorithm asks for, what tell keeps, and that
// NSGA-II is one loop for real vectors and genomes. No training: objectives are functions of the
// solution.
#include <gtest/gtest.h>

#include <numeric>

#include "evolve/offspring.hpp"
#include "evolve/test_problems.hpp"
#include "genome/genome.hpp"
#include "search/genetic_algorithm.hpp"
#include "search/genome_algorithm.hpp"
#include "search/nsga2.hpp"
#include "search/real_nsga2.hpp"
#include "search/selection.hpp"

namespace {

using namespace star;
using Point = std::vector<double>;

// One variable in [0, 1]; the first population 0, 1/n, 2/n, ...; a child is its parent + 0.5/n.
search::Operators<Point> line_operators() {
  search::Operators<Point> ops;
  ops.initial = [](int count, genome::Rng&) {
    std::vector<Point> out;
    for (int i = 0; i < count; ++i) out.push_back({static_cast<double>(i) / count});
    return out;
  };
  ops.offspring = [](const std::vector<Point>& parents, const evolve::Ranking& ranking, int count, genome::Rng&) {
    EXPECT_EQ(ranking.front_rank.size(), parents.size());
    std::vector<Point> out;
    for (int i = 0; i < count; ++i) out.push_back({parents[static_cast<size_t>(i) % parents.size()][0] + 0.01});
    return out;
  };
  return ops;
}

// Two objectives in conflict (x and 1 - x) or one (x), all feasible.
std::vector<search::Member<Point>> evaluated(const std::vector<Point>& points, bool two_objectives) {
  std::vector<search::Member<Point>> out;
  for (const auto& p : points)
    out.push_back({p, two_objectives ? std::vector<double>{p[0], 1 - p[0]} : std::vector<double>{p[0]}, 0.0});
  return out;
}

TEST(SearchAlgorithms, Nsga2AsksForThePopulationThenAsManyChildrenAndKeepsTheBestOfBoth) {
  genome::Rng rng(1);
  search::Nsga2<Point> nsga2(4, line_operators());
  const auto first = nsga2.ask(rng);
  ASSERT_EQ(first.size(), 4u);
  EXPECT_EQ(nsga2.tell(evaluated(first, false)).size(), 4u);
  const auto children = nsga2.ask(rng);
  ASSERT_EQ(children.size(), 4u);
  // One objective, minimised: the four smallest of parents {0, .25, .5, .75} and children
  // {.01, .26, .51, .76} survive, best first, as indices into parents followed by children.
  const auto survivors = nsga2.tell(evaluated(children, false));
  EXPECT_EQ(survivors, (std::vector<int>{0, 4, 1, 5}));
  ASSERT_EQ(nsga2.population().size(), 4u);
  EXPECT_DOUBLE_EQ(nsga2.population()[1].solution[0], 0.01);
}

TEST(SearchAlgorithms, Nsga2KeepsAFeasibleMemberOverAnInfeasibleOne) {
  genome::Rng rng(1);
  search::Nsga2<Point> nsga2(2, line_operators());
  nsga2.restore(evaluated({{0.5}, {0.6}}, true));
  auto children = evaluated(nsga2.ask(rng), true);
  children[0].violation = 1;  // 0.51 over a budget
  const auto survivors = nsga2.tell(children);
  for (int i : survivors) EXPECT_NE(i, 2);
}

TEST(SearchAlgorithms, GeneticAlgorithmBreedsAllButTheElitesAndCarriesThemOver) {
  genome::Rng rng(1);
  search::GeneticAlgorithm<Point> ga(4, 1, {1.0}, line_operators());
  ga.tell(evaluated(ga.ask(rng), false));
  const auto children = ga.ask(rng);
  ASSERT_EQ(children.size(), 3u);  // one elite carries over
  // The children replace every parent but the best (x = 0), even where a parent was better.
  const auto survivors = ga.tell(evaluated({{0.9}, {0.8}, {0.7}}, false));
  EXPECT_EQ(survivors, (std::vector<int>{0, 6, 5, 4}));
}

TEST(SearchAlgorithms, ConfigurationNamesTheGenomeAlgorithm) {
  for (const std::string name : {"nsga2", "ga", "firefly"}) {
    auto config = io::parse_config("[run]\nseed = 2\n[genome]\ndepth = 3\n[evolution]\npopulation = 6\nalgorithm = \"" +
                                       name + "\"\nelite_count = 2\nobjectives = [\"quality\", \"params\"]\n",
                                   "test.toml");
    auto algorithm = search::make_genome_algorithm(config);
    genome::Rng rng(config.run.seed);
    const auto first = algorithm->ask(rng);
    ASSERT_EQ(first.size(), 6u) << name;
    std::vector<search::Member<genome::Genome>> scored;
    for (size_t i = 0; i < first.size(); ++i)
      scored.push_back({first[i], {static_cast<double>(i), static_cast<double>(first.size() - i)}, 0.0});
    algorithm->tell(scored);
    const size_t expected = name == "nsga2" ? 6 : 4;  // the GA and firefly leave the 2 elites as they are
    EXPECT_EQ(algorithm->ask(rng).size(), expected) << name;
  }
}

// The genome search's NSGA-II generation is the genome operators' offspring of the population
// ranked by NSGA-II, drawn from the same generator: one loop, not a copy per solution kind.
TEST(SearchAlgorithms, GenomeNsga2BreedsFromTheRankedPopulation) {
  auto config = io::parse_config(
      "[run]\nseed = 4\n[genome]\ndepth = 3\n[evolution]\npopulation = 6\nobjectives = [\"quality\", \"params\"]\n",
      "test.toml");
  auto algorithm = search::make_genome_algorithm(config);
  genome::Rng rng(9);
  const auto first = algorithm->ask(rng);
  std::vector<search::Member<genome::Genome>> scored;
  for (size_t i = 0; i < first.size(); ++i)
    scored.push_back({first[i], {static_cast<double>(i % 3), static_cast<double>(i % 2)}, i == 5 ? 1.0 : 0.0});
  algorithm->tell(scored);
  genome::Rng copy = rng;
  const auto children = algorithm->ask(rng);

  const auto& population = algorithm->population();
  std::vector<genome::Genome> parents;
  for (const auto& m : population) parents.push_back(m.solution);
  const auto ranking = evolve::rank_population(search::objective_matrix(population), search::violations_of(population));
  const auto expected = evolve::make_offspring(parents, ranking, 6, config.genome,
                                               search::variation_settings(config.evolution), copy);
  ASSERT_EQ(children.size(), expected.size());
  for (size_t i = 0; i < children.size(); ++i) EXPECT_EQ(genome::to_text(children[i]), genome::to_text(expected[i]));
}

TEST(SearchAlgorithms, UnknownAlgorithmIsRefused) {
  auto config = io::parse_config("[genome]\ndepth = 3\n", "test.toml");
  config.evolution.algorithm = "simulated_annealing";
  EXPECT_THROW(search::make_genome_algorithm(config), std::invalid_argument);
}

}  // namespace
