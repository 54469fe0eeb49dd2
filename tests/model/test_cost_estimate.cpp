// The training cost estimate that orders genomes longest first: attention grows with the
// sequence length, shared keys and values save projections, the order follows the sizes.
#include <gtest/gtest.h>

#include <string>

#include "genome/genome.hpp"
#include "genome/liv_class.hpp"
#include "model/cost_estimate.hpp"

namespace {

using namespace star;

double flops(const char* text, int64_t seq_len = 64) {
  model::ModelConfig config;
  config.width = 64;
  config.vocab_size = 16;
  return model::training_flops_per_token(genome::parse_genome(text), config, seq_len);
}

TEST(CostEstimate, HandCountedSwiGluBackbone) {
  // d = 64, h = 128: one SwiGLU is 3 d h multiply-adds, the head d x vocab; x 6 for training.
  EXPECT_DOUBLE_EQ(flops("11111"), 6.0 * (3 * 64 * 128 + 64 * 16));
}

TEST(CostEstimate, OrdersBySizeAndSequenceLength) {
  EXPECT_GT(flops("31111-31111"), flops("31111-21111"));  // attention over a convolution at T = 64
  EXPECT_GT(flops("21111-21111"), flops("21111"));         // deeper costs more
  EXPECT_GT(flops("31111", 4096), flops("31111", 64));     // attention grows with T
  EXPECT_EQ(flops("21111", 4096), flops("21111", 64));     // a short convolution does not
  // The second attention LIV reuses the first one's keys and values: two projections fewer.
  EXPECT_LT(flops("31112-31112"), flops("31111-31111"));
  model::ModelConfig config;
  EXPECT_DOUBLE_EQ(model::training_flops(genome::parse_genome("11111"), config, 64, 1000),
                   1000 * model::training_flops_per_token(genome::parse_genome("11111"), config, 64));
}

TEST(CostEstimate, EveryClassHasAFormula) {
  const double head = flops("11111") - 6.0 * 3 * 64 * 128;  // the output head alone
  for (const auto& c : genome::liv_classes()) {
    const std::string one = std::string(1, "0123456789abcdefghijklmnopqrstuvwxyz"[c.id]) + "1111";
    EXPECT_GT(flops(one.c_str()), head + 6.0 * 64 * 64) << c.short_name;  // at least one d x d projection
  }
}

TEST(CostEstimate, NewClassesScaleAsTheirOperators) {
  const double head = 6.0 * 64 * 16;
  // A differential class runs its base twice, and subtracts: 2 x base + d.
  EXPECT_DOUBLE_EQ(flops("d1111") - head, 2 * (flops("31111") - head) + 6.0 * 64);  // SA-1-Diff
  EXPECT_DOUBLE_EQ(flops("g1111") - head, 2 * (flops("61111") - head) + 6.0 * 64);  // Rec-1-Diff
  EXPECT_DOUBLE_EQ(flops("c1111") - head, 2 * (flops("a1111") - head) + 6.0 * 64);  // S4-Diff
  EXPECT_LT(flops("51111"), flops("31111"));                  // SA-3 projects fewer keys and values
  EXPECT_EQ(flops("61111"), flops("71111"));                  // Rec-1 and Rec-2: one operator
  EXPECT_EQ(flops("61111", 4096), flops("61111", 64));        // a recurrence does not grow with T
  EXPECT_EQ(flops("41111", 4096), flops("41111", 64));        // nor does chunked linear attention past a chunk
  EXPECT_GT(flops("81111", 4096), flops("81111", 64));        // an FFT convolution does, as log T
  EXPECT_LT(flops("81111", 4096), flops("31111", 4096));      // ... slower than attention
  EXPECT_GT(flops("a1111", 4096), flops("a1111", 64));
  EXPECT_EQ(flops("91111"), flops("11111"));                  // GeGLU costs what SwiGLU does
  for (const char* shared : {"41112-41112", "51112-51112", "61112-61112", "71112-71112", "f1112-f1112"}) {
    std::string own(shared);
    own[4] = own[10] = '1';
    EXPECT_LT(flops(shared), flops(own.c_str())) << shared;  // reused feature groups are not recomputed
  }
}

}  // namespace
