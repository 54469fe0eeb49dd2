#pragma once
// Checks for code that runs either by the Kokkos kernels or by its LibTorch reference path
// ([model] kernels): one op's output and input gradient in fp32 and bf16, and a whole model built
// with either backend.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "genome/genome.hpp"
#include "model/backbone.hpp"
#include "small_config.hpp"

namespace star::model::testing {

inline void expect_close(const torch::Tensor& got, const torch::Tensor& want, double rtol, double atol,
                         const std::string& what) {
  ASSERT_EQ(got.sizes(), want.sizes()) << what;
  auto g = got.to(torch::kFloat64), w = want.to(torch::kFloat64);
  EXPECT_TRUE(torch::allclose(g, w, rtol, atol)) << what << " differs by up to " << (g - w).abs().max().item<double>();
}

// An op run by one backend: its output and the gradient of its input for the upstream gradient dy.
using OpRun = std::function<std::pair<torch::Tensor, torch::Tensor>(const torch::Tensor& input, KernelBackend backend,
                                                                    const torch::Tensor& dy)>;

// input and dy in fp32. fp32: the Kokkos path within fp32 rounding of the torch path (atol for
// values near 0). bf16: the kernels compute in fp32 and round once, so they give the torch path
// in fp32 on the same bf16 values, rounded (within one bf16 step); the torch path in bf16 rounds
// after every op, so it is only near.
inline void expect_kokkos_matches_torch(const OpRun& run, const torch::Tensor& input, const torch::Tensor& dy,
                                        double fp32_atol, const std::string& what) {
  const auto [y, d] = run(input, KernelBackend::kokkos, dy);
  const auto [y_ref, d_ref] = run(input, KernelBackend::torch, dy);
  ASSERT_EQ(y.scalar_type(), torch::kFloat32) << what;
  expect_close(y, y_ref, 1e-5, fp32_atol, what + " fp32 output");
  expect_close(d, d_ref, 1e-5, fp32_atol, what + " fp32 gradient");

  auto input16 = input.to(torch::kBFloat16), dy16 = dy.to(torch::kBFloat16);
  const auto [y16, d16] = run(input16, KernelBackend::kokkos, dy16);
  ASSERT_EQ(y16.scalar_type(), torch::kBFloat16) << what;
  ASSERT_EQ(d16.scalar_type(), torch::kBFloat16) << what;
  const auto [y32, d32] = run(input16.to(torch::kFloat32), KernelBackend::torch, dy16.to(torch::kFloat32));
  expect_close(y16, y32, 1.0 / 128, 1e-5, what + " bf16 output vs fp32 torch");
  expect_close(d16, d32, 1.0 / 128, 1e-5, what + " bf16 gradient vs fp32 torch");
  const auto [y16_ref, d16_ref] = run(input16, KernelBackend::torch, dy16);
  expect_close(y16, y16_ref, 1.0 / 32, 1.0 / 32, what + " bf16 output vs bf16 torch");
  expect_close(d16, d16_ref, 1.0 / 32, 1.0 / 32, what + " bf16 gradient vs bf16 torch");
}

// A model of `genome` (small_config) built with each backend from the same seed: the same logits
// and parameter gradients on tokens [batch, length].
inline void expect_backends_agree(const std::string& genome, uint64_t seed, int64_t batch, int64_t length) {
  auto config = small_config();
  torch::manual_seed(seed);
  Backbone with_kokkos(genome::parse_genome(genome), config);
  config.kernels = KernelBackend::torch;
  torch::manual_seed(seed);
  Backbone with_torch(genome::parse_genome(genome), config);
  auto tokens = torch::randint(0, config.vocab_size, {batch, length}, torch::kInt64);
  auto a = with_kokkos->forward(tokens), b = with_torch->forward(tokens);
  EXPECT_TRUE(torch::allclose(a, b, 1e-5, 1e-5)) << genome;
  a.sum().backward();
  b.sum().backward();
  auto pa = with_kokkos->parameters(), pb = with_torch->parameters();
  ASSERT_EQ(pa.size(), pb.size()) << genome;
  for (size_t i = 0; i < pa.size(); ++i)
    EXPECT_TRUE(torch::allclose(pa[i].grad(), pb[i].grad(), 1e-4, 1e-5)) << genome << " parameter " << i;
}

}  // namespace star::model::testing
