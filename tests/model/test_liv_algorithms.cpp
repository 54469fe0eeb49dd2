// The computations behind the new LIV classes against plainer ones: Rec-2's chunked scan against
// Rec-1's, chunked linear attention against its quadratic form, the FFT convolution against a
// direct one, and the grouped-query head count.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "genome/genome.hpp"
#include "model/backbone.hpp"
#include "model/ops/causal_conv.hpp"
#include "model/ops/chunked_scan.hpp"
#include "model/derived_sizes.hpp"
#include "model/ops/fft_conv.hpp"
#include "model/linear_attention.hpp"
#include "model/ops/linear_scan.hpp"

namespace {

using namespace star;

TEST(ChunkedScan, EqualsTheLogStepScan) {
  torch::manual_seed(5);
  for (int64_t T : {1, 2, 7, 32, 33, 100})
    for (int64_t chunk : {1, 4, 32}) {
      auto a = torch::rand({2, T, 3}), x = torch::randn({2, T, 3});
      auto expected = model::linear_scan_reference(a, x);
      EXPECT_TRUE(torch::allclose(model::chunked_linear_scan(a, x, chunk), expected, 1e-5, 1e-6))
          << "T=" << T << " chunk=" << chunk;
    }
}

// Rec-1 (both kernel backends) and Rec-2 built with the same seed have the same weights; they must
// give the same logits and gradients. The differential variants too.
TEST(Recurrence, Rec1AndRec2GiveTheSameOutputsAndGradients) {
  for (auto [rec1, rec2] : std::vector<std::pair<const char*, const char*>>{{"61112-61112", "71112-71112"},
                                                                          {"g1112-g1112", "h1112-h1112"}})
    for (auto backend : {model::KernelBackend::kokkos, model::KernelBackend::torch})
      for (int64_t T : {1, 31, 100}) {
        model::ModelConfig config;
        config.width = 8;
        config.heads = 2;
        config.kernels = backend;
        torch::manual_seed(6);
        model::Backbone step(genome::parse_genome(rec1), config);
        torch::manual_seed(6);
        model::Backbone chunked(genome::parse_genome(rec2), config);
        auto tokens = torch::randint(0, config.vocab_size, {2, T}, torch::kInt64);
        auto a = step->forward(tokens), b = chunked->forward(tokens);
        EXPECT_TRUE(torch::allclose(a, b, 1e-5, 1e-5)) << rec1 << " T=" << T;
        a.pow(2).sum().backward();
        b.pow(2).sum().backward();
        auto pa = step->parameters(), pb = chunked->parameters();
        ASSERT_EQ(pa.size(), pb.size());
        for (size_t i = 0; i < pa.size(); ++i)
          EXPECT_TRUE(torch::allclose(pa[i].grad(), pb[i].grad(), 1e-4, 1e-5)) << rec1 << " T=" << T << " " << i;
      }
}

// Quadratic form: y_i = sum_{j<=i} (q_i . k_j) v_j / sum_{j<=i} q_i . k_j.
TEST(LinearAttention, ChunksEqualTheQuadraticForm) {
  torch::manual_seed(7);
  for (int64_t T : {1, 5, 64, 150}) {
    auto q = torch::rand({2, 3, T, 4}) + 0.1, k = torch::rand({2, 3, T, 4}) + 0.1, v = torch::randn({2, 3, T, 5});
    auto scores = torch::matmul(q, k.transpose(-2, -1)).tril();
    auto expected = torch::matmul(scores, v) / scores.sum(-1, true);
    for (int64_t chunk : {1, 16, 64})
      EXPECT_TRUE(torch::allclose(model::causal_linear_attention(q, k, v, chunk), expected, 1e-4, 1e-5))
          << "T=" << T << " chunk=" << chunk;
  }
}

// A filter as long as the sequence, against torch's direct convolution (weights in time order).
TEST(FftConv, EqualsTheDirectCausalConvolution) {
  torch::manual_seed(8);
  for (int64_t T : {1, 6, 50}) {
    auto u = torch::randn({2, T, 3}), filter = torch::randn({3, T});
    auto expected = model::causal_conv1d_reference(u, filter.flip(1));
    EXPECT_TRUE(torch::allclose(model::fft_causal_conv(u, filter), expected, 1e-4, 1e-5)) << "T=" << T;
  }
}

TEST(GroupedQueryAttention, KeyValueHeadsDivideTheHeads) {
  EXPECT_EQ(model::grouped_kv_heads(12), 3);
  EXPECT_EQ(model::grouped_kv_heads(8), 2);
  EXPECT_EQ(model::grouped_kv_heads(16), 4);
  EXPECT_EQ(model::grouped_kv_heads(24), 6);
  EXPECT_EQ(model::grouped_kv_heads(20), 5);
  EXPECT_EQ(model::grouped_kv_heads(6), 1);
  EXPECT_EQ(model::grouped_kv_heads(4), 1);
  EXPECT_EQ(model::grouped_kv_heads(1), 1);
  for (int64_t h = 1; h <= 64; ++h) {
    EXPECT_EQ(h % model::grouped_kv_heads(h), 0) << h;
    EXPECT_LE(model::grouped_kv_heads(h), std::max<int64_t>(1, h / 4)) << h;
  }
}

}  // namespace
