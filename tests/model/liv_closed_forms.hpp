#pragma once
// The parameter count and cache size of every LIV class in closed form, written out by hand from
// each class's header (src/model), for the tests to hold the modules to.
#include <cstdint>

#include "core/model_config.hpp"
#include "genome/liv_class.hpp"
#include "model/derived_sizes.hpp"

namespace star::model::testing {

struct ClosedForm {
  int64_t weights = 0;           // the LIV's own weights, its norm and featurizer excluded
  int64_t featurizer = 0;        // its full featurizer
  int64_t query_featurizer = 0;  // the featurizer of a LIV that borrows its feature groups
  int64_t cache_values = 0;      // cache values when it computes its own feature groups
};

inline ClosedForm closed_form(int class_id, const ModelConfig& c, int64_t T) {
  const auto& cls = genome::liv_class(class_id);
  if (cls.differential_of != 0) {
    const auto b = closed_form(cls.differential_of, c, T);
    return {2 * b.weights + 1, 2 * b.featurizer, 2 * b.query_featurizer, 2 * b.cache_values};
  }
  const int64_t d = c.width, K = c.conv_taps, Dh = d / c.heads, N = kStateSpaceSize;
  const int64_t h = static_cast<int64_t>(c.mlp_ratio * static_cast<double>(d) + 0.5);
  const int64_t kv = grouped_kv_heads(c.heads) * Dh, F = kFilterFrequencies, Hf = kFilterHidden;
  switch (class_id) {
    case 1: case 9: return {h * d, 2 * h * d, 2 * h * d, 0};                         // GMemless, GMemless-2
    case 2: return {d * K + d * d, 3 * d * d, 3 * d * d, (K - 1) * d};                  // GConv-1
    case 3: return {d * d, 3 * d * d, d * d, 2 * T * d};                                 // SA-1
    case 4: return {d * d, 3 * d * d, d * d, d * (Dh + 1)};                              // SA-2
    case 5: return {d * d, d * d + 2 * d * kv, d * d, 2 * T * kv};                       // SA-3
    case 6: case 7: return {d * d, 4 * d * d, d * d, d};                                 // Rec-1, Rec-2
    case 8:                                                                              // GConv-2
      return {d * d + (2 * F * Hf + Hf) + (Hf * Hf + Hf) + Hf * d, 3 * d * d, 3 * d * d, T * d};
    case 10: return {d * d + 2 * d * N + 2 * d, 2 * d * d, 2 * d * d, d * N};           // S4-1
    case 11: return {d * d + d * N + 2 * d, d * (3 * d + 2 * N), d * (3 * d + 2 * N), d * N};  // S4-2
    case 20: {  // S4-Monarch: S4-1 with d x d Monarch matrices for its three projections
      const int64_t b1 = 2, b2 = d / 2;  // d = 8 in the tests: 2 blocks of 4 x 4, then 4 of 2 x 2
      const int64_t M = b1 * b2 * b2 + b2 * b1 * b1;
      return {M + 2 * d * N + 2 * d, 2 * M, 2 * M, d * N};
    }
    default: return {-1, -1, -1, -1};  // a class without a closed form here fails every test
  }
}

}  // namespace star::model::testing
