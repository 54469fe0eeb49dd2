// The training cost estimate that orders genomes longest first: attention grows with the
// sequence length, shared keys and values save projections, the order follows the sizes.
#include <gtest/gtest.h>

#include "genome/genome.hpp"
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

}  // namespace
