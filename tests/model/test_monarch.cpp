// The Monarch projection of S4-Monarch: its block sizes, and that it computes the product it
// stands for, P^T L P R with R and L block-diagonal and P the fixed [b1, b2] -> [b2, b1]
// transpose, built here as dense matrices.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/derived_sizes.hpp"
#include "model/monarch.hpp"

namespace {

using namespace star::model;

TEST(Monarch, BlocksFactorTheWidthAroundItsSquareRoot) {
  EXPECT_EQ(monarch_blocks(256).b1, 16);
  EXPECT_EQ(monarch_blocks(256).b2, 16);
  EXPECT_EQ(monarch_blocks(8).b1, 2);
  EXPECT_EQ(monarch_blocks(8).b2, 4);
  EXPECT_EQ(monarch_blocks(12).b1, 3);
  EXPECT_EQ(monarch_blocks(7).b1, 1);  // a prime width: one dense block
  EXPECT_EQ(monarch_blocks(7).b2, 7);
  EXPECT_EQ(monarch_weights(256), 8192);
  EXPECT_EQ(monarch_weights(7), 7 * 8);
}

// The block-diagonal matrix of blocks [n, s, s], as a dense [n s, n s] one acting on columns.
torch::Tensor block_diagonal(const torch::Tensor& blocks) {
  const int64_t n = blocks.size(0), s = blocks.size(1);
  auto dense = torch::zeros({n * s, n * s});
  for (int64_t i = 0; i < n; ++i) dense.narrow(0, i * s, s).narrow(1, i * s, s).copy_(blocks[i].t());
  return dense;
}

TEST(Monarch, ComputesTheProductOfItsFactors) {
  for (int64_t d : {12, 8, 7, 16}) {
    torch::manual_seed(d);
    Monarch m(d, 2);
    const auto b = monarch_blocks(d);
    auto params = m->named_parameters();
    EXPECT_EQ(params["right"].numel() + params["left"].numel(), 2 * monarch_weights(d));
    // P: position i * b2 + j of [b1, b2] goes to j * b1 + i of [b2, b1].
    auto P = torch::zeros({d, d});
    for (int64_t i = 0; i < b.b1; ++i)
      for (int64_t j = 0; j < b.b2; ++j) P[j * b.b1 + i][i * b.b2 + j] = 1;
    auto x = torch::randn({3, 5, d});
    torch::NoGradGuard no_grad;
    auto y = m->forward(x);
    ASSERT_EQ(y.sizes(), (std::vector<int64_t>{3, 5, 2 * d}));
    for (int64_t c = 0; c < 2; ++c) {
      auto M = P.t().mm(block_diagonal(params["left"][c])).mm(P).mm(block_diagonal(params["right"][c]));
      auto want = torch::matmul(x, M.t());
      EXPECT_TRUE(torch::allclose(y.narrow(-1, c * d, d), want, 1e-5, 1e-5)) << "d = " << d << ", copy " << c;
    }
  }
}

// Initialised like a dense bias-free Linear: about a third of the input's variance comes out.
TEST(Monarch, OutputVarianceIsADenseLayers) {
  torch::manual_seed(1);
  Monarch m(256, 1);
  torch::NoGradGuard no_grad;
  const double variance = m->forward(torch::randn({4096, 256})).var().item<double>();
  EXPECT_NEAR(variance, 1.0 / 3.0, 0.05);
}

}  // namespace
