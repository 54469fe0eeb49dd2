#include "evolve/real_variation.hpp"

#include <algorithm>
#include <cmath>

namespace star::evolve {

using genome::uniform_real;

std::pair<std::vector<double>, std::vector<double>> sbx_crossover(const std::vector<double>& a,
                                                                  const std::vector<double>& b,
                                                                  const std::vector<double>& lower,
                                                                  const std::vector<double>& upper,
                                                                  const RealVariationSettings& s, genome::Rng& rng) {
  std::vector<double> c1 = a, c2 = b;
  if (uniform_real(rng) > s.crossover_probability) return {c1, c2};
  const double eta = s.crossover_eta;
  for (size_t i = 0; i < a.size(); ++i) {
    if (uniform_real(rng) > 0.5 || std::fabs(a[i] - b[i]) < 1e-14) continue;
    const double y1 = std::min(a[i], b[i]), y2 = std::max(a[i], b[i]), lo = lower[i], hi = upper[i];
    const double u = uniform_real(rng);
    // Bounded SBX: the spread factor's distribution is cut so children stay inside [lo, hi].
    auto child = [&](double distance_to_bound) {
      const double beta = 1.0 + 2.0 * distance_to_bound / (y2 - y1);
      const double alpha = 2.0 - std::pow(beta, -(eta + 1.0));
      const double betaq = u <= 1.0 / alpha ? std::pow(u * alpha, 1.0 / (eta + 1.0))
                                            : std::pow(1.0 / (2.0 - u * alpha), 1.0 / (eta + 1.0));
      return betaq;
    };
    double v1 = 0.5 * ((y1 + y2) - child(y1 - lo) * (y2 - y1));
    double v2 = 0.5 * ((y1 + y2) + child(hi - y2) * (y2 - y1));
    v1 = std::clamp(v1, lo, hi);
    v2 = std::clamp(v2, lo, hi);
    if (uniform_real(rng) <= 0.5) std::swap(v1, v2);
    c1[i] = v1;
    c2[i] = v2;
  }
  return {c1, c2};
}

void polynomial_mutation(std::vector<double>& x, const std::vector<double>& lower, const std::vector<double>& upper,
                         const RealVariationSettings& s, genome::Rng& rng) {
  const double p = s.mutation_probability >= 0 ? s.mutation_probability : 1.0 / static_cast<double>(x.size());
  const double eta = s.mutation_eta;
  for (size_t i = 0; i < x.size(); ++i) {
    if (uniform_real(rng) > p) continue;
    const double lo = lower[i], hi = upper[i];
    if (hi <= lo) continue;
    const double d1 = (x[i] - lo) / (hi - lo), d2 = (hi - x[i]) / (hi - lo);
    const double u = uniform_real(rng);
    double dq;
    if (u < 0.5) {
      const double v = 2.0 * u + (1.0 - 2.0 * u) * std::pow(1.0 - d1, eta + 1.0);
      dq = std::pow(v, 1.0 / (eta + 1.0)) - 1.0;
    } else {
      const double v = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * std::pow(1.0 - d2, eta + 1.0);
      dq = 1.0 - std::pow(v, 1.0 / (eta + 1.0));
    }
    x[i] = std::clamp(x[i] + dq * (hi - lo), lo, hi);
  }
}

}  // namespace star::evolve
