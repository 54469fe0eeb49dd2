#include "evolve/firefly.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "genome/liv_class.hpp"
#include "genome/repair.hpp"

namespace star::evolve {
namespace {

using Position = std::vector<double>;  // [5 * depth], the genome's integers as reals

int class_index(const genome::GenomeSpace& space, int cls) {
  const auto it = std::find(space.classes.begin(), space.classes.end(), cls);
  // A class outside the space (never after repair) counts as the first one.
  return it == space.classes.end() ? 0 : static_cast<int>(it - space.classes.begin());
}

int max_strategies(const genome::GenomeSpace& space, int position) {
  int n = 1;
  for (int c : space.classes) {
    const auto& k = genome::liv_class(c);
    n = std::max(n, position == genome::kFeaturizerStrategy ? k.featurizer_strategies : k.feature_group_strategies);
  }
  return n;
}

Position encode(const genome::Genome& g, const genome::GenomeSpace& space) {
  Position x;
  for (auto gene : g.livs)
    for (int p = 0; p < genome::kGenesPerLiv; ++p)
      x.push_back(p == genome::kClass ? class_index(space, gene.cls) : genome::gene_at(gene, p));
  return x;
}

// Smallest and largest value of each position over the whole space: the distance's scale.
std::vector<double> spans(const genome::GenomeSpace& space) {
  const double liv[genome::kGenesPerLiv] = {static_cast<double>(space.classes.size() - 1),
                                            static_cast<double>(space.max_group - 1),
                                            static_cast<double>(max_strategies(space, genome::kFeaturizerStrategy) - 1),
                                            static_cast<double>(space.max_group - 1),
                                            static_cast<double>(max_strategies(space, genome::kFeatureGroupStrategy) - 1)};
  std::vector<double> s;
  for (int l = 0; l < space.depth; ++l) s.insert(s.end(), liv, liv + genome::kGenesPerLiv);
  return s;
}

double squared_distance(const Position& a, const Position& b, const std::vector<double>& span) {
  double sum = 0;
  for (size_t d = 0; d < a.size(); ++d)
    if (span[d] > 0) sum += (a[d] - b[d]) * (a[d] - b[d]) / (span[d] * span[d]);
  return sum / static_cast<double>(a.size());
}

// Integer part plus one with probability equal to the fractional part: a move of 0.3 changes
// the position 30% of the time. Plain rounding would drop every move under half a step, and on
// ranges of 2 or 3 values nearly every attraction and random step is that small.
int stochastic_round(double v, genome::Rng& rng) {
  const double low = std::floor(v);
  return static_cast<int>(low) + (genome::uniform_real(rng) < v - low ? 1 : 0);
}

genome::Genome decode(const Position& x, const genome::GenomeSpace& space, genome::Rng& rng) {
  genome::Genome g;
  g.livs.resize(space.depth);
  for (int l = 0; l < space.depth; ++l) {
    auto& gene = g.livs[l];
    for (int p = 0; p < genome::kGenesPerLiv; ++p) {
      const int v = stochastic_round(x[l * genome::kGenesPerLiv + p], rng);
      if (p == genome::kClass) {
        gene.cls = space.classes[std::clamp(v, 0, static_cast<int>(space.classes.size()) - 1)];
        continue;
      }
      const auto& cls = genome::liv_class(gene.cls);
      const int hi = p == genome::kFeaturizerGroup || p == genome::kFeatureGroup ? space.max_group
                     : p == genome::kFeaturizerStrategy                         ? cls.featurizer_strategies
                                                                                : cls.feature_group_strategies;
      genome::gene_at(gene, p) = std::clamp(v, 1, hi);
    }
  }
  return g;
}

void check_settings(const FireflySettings& s) {
  if (!(s.beta0 >= 0 && s.beta0 <= 1))
    throw std::invalid_argument("firefly: beta0 must be in [0, 1], got " + std::to_string(s.beta0));
  if (!(s.gamma >= 0 && std::isfinite(s.gamma)))
    throw std::invalid_argument("firefly: gamma must be 0 or more, got " + std::to_string(s.gamma));
  if (!(s.alpha >= 0 && s.alpha <= 1))
    throw std::invalid_argument("firefly: alpha must be in [0, 1], got " + std::to_string(s.alpha));
}

}  // namespace

std::vector<genome::Genome> move_fireflies(const std::vector<genome::Genome>& fireflies, const Ranking& brightness,
                                           int elite_count, const genome::GenomeSpace& space,
                                           const FireflySettings& settings, genome::Rng& rng) {
  check_settings(settings);
  genome::check_space(space);
  const int n = static_cast<int>(fireflies.size());
  if (brightness.front_rank.size() != fireflies.size() || brightness.crowding.size() != fireflies.size())
    throw std::invalid_argument("move_fireflies: a ranking of " + std::to_string(brightness.front_rank.size()) +
                                " individuals for " + std::to_string(n) + " fireflies");
  if (elite_count < 0) throw std::invalid_argument("move_fireflies: negative elite count");
  for (const auto& f : fireflies)
    if (static_cast<int>(f.livs.size()) != space.depth)
      throw std::invalid_argument("move_fireflies: a genome of " + std::to_string(f.livs.size()) +
                                  " LIVs in a space of depth " + std::to_string(space.depth));

  std::vector<int> order(n);  // brightest first, ties by index
  for (int i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return crowded_less(brightness, a, b); });
  std::vector<bool> elite(n, false);
  for (int k = 0; k < std::min(elite_count, n); ++k) elite[order[k]] = true;

  const auto span = spans(space);
  std::vector<Position> start;
  for (const auto& f : fireflies) start.push_back(encode(f, space));
  std::vector<genome::Genome> moved;
  for (int i = 0; i < n; ++i) {
    if (elite[i]) continue;
    Position x = start[i];
    for (int j = 0; j < n; ++j) {
      if (!crowded_less(brightness, j, i)) continue;
      const double beta = settings.beta0 * std::exp(-settings.gamma * squared_distance(x, start[j], span));
      for (size_t d = 0; d < x.size(); ++d) x[d] += beta * (start[j][d] - x[d]);
    }
    for (size_t d = 0; d < x.size(); ++d) x[d] += settings.alpha * span[d] * (2 * genome::uniform_real(rng) - 1);
    auto g = decode(x, space, rng);
    genome::repair(g, space, rng);
    moved.push_back(std::move(g));
  }
  return moved;
}

}  // namespace star::evolve
