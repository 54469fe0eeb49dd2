// The fused Kokkos cross-entropy against torch's (the trainer's loss before the kernels): the
// summed loss and, through autograd, its gradient, fp32 and bf16, on awkward shapes, with ignored
// rows; on the GPU too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/cross_entropy.hpp"
#include "kernels/launch.hpp"
#include "model/ops/cross_entropy.hpp"
#include "train/precision.hpp"

namespace {

using star::model::KernelBackend;
using star::model::summed_cross_entropy;

constexpr int64_t kIgnore = -100;

struct Case {
  int64_t N, V;
  int ignore_every;  // every k-th row (from row 0) is ignored; 0: none; 1: all
};

const std::vector<Case> kCases = {
    {1, 1, 0},  {4, 1, 0},      {1, 2, 0},      {5, 2, 2},     {7, 3, 3},   {6, 3, 1},  // V = 1, 2, odd; all ignored
    {3, 50304, 0}, {3, 50304, 2}, {257, 1000, 5}, {9, 1001, 4}, {33, 64, 0},
};

// Logits of spread 3 (some classes dominate), targets in [0, V), every k-th row ignored.
std::pair<torch::Tensor, torch::Tensor> make_inputs(const Case& c, torch::ScalarType dtype, torch::Device device) {
  torch::manual_seed(c.N * 7 + c.V + c.ignore_every);
  auto logits = (3 * torch::randn({c.N, c.V})).to(dtype).to(device);
  auto targets = torch::randint(0, c.V, {c.N}, torch::kInt64);
  for (int64_t n = 0; c.ignore_every > 0 && n < c.N; n += c.ignore_every) targets[n] = kIgnore;
  return {logits, targets.to(device)};
}

void expect_same_as_torch(const Case& c, torch::ScalarType dtype, torch::Device device, double upstream) {
  const auto [logits, targets] = make_inputs(c, dtype, device);
  auto ours_in = logits.detach().clone().requires_grad_(true), ref_in = logits.detach().clone().requires_grad_(true);
  auto ours = summed_cross_entropy(ours_in, targets, kIgnore, KernelBackend::kokkos);
  auto ref = summed_cross_entropy(ref_in, targets, kIgnore, KernelBackend::torch);
  const std::string what = "N=" + std::to_string(c.N) + " V=" + std::to_string(c.V) + " ignore every " +
                           std::to_string(c.ignore_every) + (dtype == torch::kBFloat16 ? " bf16" : " fp32");
  ASSERT_EQ(ours.dim(), 0) << what;
  ASSERT_EQ(ours.scalar_type(), torch::kFloat32) << what;
  // Both compute in fp32 on the same values: only the order of the additions differs.
  EXPECT_TRUE(torch::allclose(ours, ref, 1e-5, 1e-4)) << what << ": " << ours.item<double>() << " vs "
                                                      << ref.item<double>();
  (ours * upstream).backward();
  (ref * upstream).backward();
  ASSERT_EQ(ours_in.grad().scalar_type(), dtype) << what;
  // bf16 gradients: each rounded once from fp32 values that agree to about 1e-6, so at most one
  // bf16 step (1/256 relative) apart.
  const double rtol = dtype == torch::kBFloat16 ? 1.0 / 128 : 1e-4;
  EXPECT_TRUE(torch::allclose(ours_in.grad().to(torch::kFloat32), ref_in.grad().to(torch::kFloat32), rtol, 1e-6))
      << what << ": gradient differs by up to "
      << (ours_in.grad().to(torch::kFloat32) - ref_in.grad().to(torch::kFloat32)).abs().max().item<double>();
  if (c.ignore_every == 1) {
    EXPECT_EQ(ours.item<float>(), 0.0f) << what;
    EXPECT_EQ(ours_in.grad().abs().max().item<float>(), 0.0f) << what;
  }
}

void expect_all_same_as_torch(torch::Device device) {
  for (const auto& c : kCases)
    for (auto dtype : {torch::kFloat32, torch::kBFloat16}) {
      expect_same_as_torch(c, dtype, device, 1.0);
      expect_same_as_torch(c, dtype, device, 0.25);  // the trainer divides the sum by the scored count
    }
}

TEST(CrossEntropy, MatchesTorchOnHost) { expect_all_same_as_torch(torch::kCPU); }

TEST(CrossEntropy, MatchesTorchOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_all_same_as_torch(torch::Device(torch::kCUDA, 0));
}

// The gradient written in the forward pass (expected_grad given) against the two passes: the
// same loss and, where the upstream gradient is the one expected, the same gradient bit for bit
// (the same formula with the same scale); where it is not, the backward pass's rescale gives the
// two passes' gradient to within a bf16 step (it rounds twice).
void expect_gradient_in_forward_same_as_two_passes(torch::Device device) {
  for (const auto& c : kCases)
    for (auto dtype : {torch::kFloat32, torch::kBFloat16})
      for (double expected : {0.25, 0.5}) {
        const double upstream = 0.25;
        const auto [logits, targets] = make_inputs(c, dtype, device);
        auto one_in = logits.detach().clone().requires_grad_(true), two_in = logits.detach().clone().requires_grad_(true);
        auto one = summed_cross_entropy(one_in, targets, kIgnore, KernelBackend::kokkos,
                                        torch::full({}, expected, torch::TensorOptions().device(device)));
        auto two = summed_cross_entropy(two_in, targets, kIgnore, KernelBackend::kokkos);
        const std::string what = "N=" + std::to_string(c.N) + " V=" + std::to_string(c.V) + " ignore every " +
                                 std::to_string(c.ignore_every) + (dtype == torch::kBFloat16 ? " bf16" : " fp32") +
                                 " expected " + std::to_string(expected);
        EXPECT_TRUE(torch::equal(one, two)) << what << ": " << one.item<double>() << " vs " << two.item<double>();
        (one * upstream).backward();
        (two * upstream).backward();
        ASSERT_EQ(one_in.grad().scalar_type(), dtype) << what;
        if (expected == upstream) {
          EXPECT_TRUE(torch::equal(one_in.grad(), two_in.grad())) << what;
        } else {
          const double rtol = dtype == torch::kBFloat16 ? 1.0 / 128 : 1e-6;
          EXPECT_TRUE(torch::allclose(one_in.grad().to(torch::kFloat32), two_in.grad().to(torch::kFloat32), rtol, 1e-12))
              << what;
        }
      }
}

TEST(CrossEntropy, GradientInForwardSameAsTwoPassesOnHost) {
  expect_gradient_in_forward_same_as_two_passes(torch::kCPU);
}

TEST(CrossEntropy, GradientInForwardSameAsTwoPassesOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_gradient_in_forward_same_as_two_passes(torch::Device(torch::kCUDA, 0));
}

// Two runs give the same bits (no atomics; team reductions in a fixed order).
void expect_deterministic(torch::Device device) {
  const auto [logits, targets] = make_inputs({64, 50304, 3}, torch::kBFloat16, device);
  std::vector<torch::Tensor> losses, grads;
  for (int run = 0; run < 2; ++run) {
    auto x = logits.detach().clone().requires_grad_(true);
    auto loss = summed_cross_entropy(x, targets, kIgnore, KernelBackend::kokkos);
    loss.backward();
    losses.push_back(loss.detach());
    grads.push_back(x.grad());
  }
  EXPECT_TRUE(torch::equal(losses[0], losses[1]));
  EXPECT_TRUE(torch::equal(grads[0], grads[1]));
}

TEST(CrossEntropy, IsDeterministicOnHost) { expect_deterministic(torch::kCPU); }

TEST(CrossEntropy, IsDeterministicOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_deterministic(torch::Device(torch::kCUDA, 0));
}

// Every plan gives the default plan's loss and gradients, through both the two passes and the
// fused one: bit for bit where the teams have as many threads (the accesses a thread issues
// together are folded in the same order), to fp32 rounding where they have not (the threads
// split the row differently). On the host a team is one thread whatever the plan.
void expect_plans_same_as_default(torch::Device device) {
  using star::kernels::CrossEntropyPlan;
  const bool host = device.is_cpu();
  for (const Case& c : {Case{300, 50304, 7}, Case{257, 1000, 5}, Case{5, 2, 2}})
    for (const CrossEntropyPlan& plan : {CrossEntropyPlan{512, 4}, CrossEntropyPlan{1024, 4}, CrossEntropyPlan{32, 2},
                                         CrossEntropyPlan{64, 4}}) {
      const auto [logits, targets] = make_inputs(c, torch::kBFloat16, device);
      const auto expected = torch::full({}, 0.25, torch::TensorOptions().device(device));
      const std::string what = "N=" + std::to_string(c.N) + " V=" + std::to_string(c.V) + " plan " +
                               std::to_string(plan.team_threads) + ":" + std::to_string(plan.accesses);
      const bool bitwise = host || plan.team_threads == CrossEntropyPlan().team_threads;
      for (bool fused : {false, true}) {
        auto ours_in = logits.detach().clone().requires_grad_(true), ref_in = logits.detach().clone().requires_grad_(true);
        auto ours = summed_cross_entropy(ours_in, targets, kIgnore, KernelBackend::kokkos,
                                         fused ? expected : torch::Tensor(), &plan);
        auto ref = summed_cross_entropy(ref_in, targets, kIgnore, KernelBackend::kokkos, fused ? expected : torch::Tensor());
        (ours * 0.25).backward();
        (ref * 0.25).backward();
        const auto g = ours_in.grad().to(torch::kFloat32), r = ref_in.grad().to(torch::kFloat32);
        if (bitwise) {
          EXPECT_TRUE(torch::equal(ours, ref)) << what << (fused ? " fused" : "");
          EXPECT_TRUE(torch::equal(g, r)) << what << (fused ? " fused" : "");
        } else {
          EXPECT_TRUE(torch::allclose(ours, ref, 1e-5, 1e-4)) << what << (fused ? " fused" : "");
          EXPECT_TRUE(torch::allclose(g, r, 1.0 / 128, 1e-6)) << what << (fused ? " fused" : "");
        }
      }
    }
}

TEST(CrossEntropy, EveryPlanGivesTheDefaultsResultsOnHost) { expect_plans_same_as_default(torch::kCPU); }

TEST(CrossEntropy, EveryPlanGivesTheDefaultsResultsOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_plans_same_as_default(torch::Device(torch::kCUDA, 0));
}

TEST(CrossEntropy, RejectsAPlanNoKernelHas) {
  using star::kernels::CrossEntropyPlan;
  for (const CrossEntropyPlan& plan : {CrossEntropyPlan{0, 2}, CrossEntropyPlan{48, 2}, CrossEntropyPlan{2048, 2},
                                       CrossEntropyPlan{512, 3}, CrossEntropyPlan{512, 8}}) {
    EXPECT_THROW(star::kernels::check_cross_entropy_plan(plan), std::invalid_argument);
    const auto [logits, targets] = make_inputs({4, 8, 0}, torch::kFloat32, torch::kCPU);
    for (auto backend : {KernelBackend::kokkos, KernelBackend::torch})
      EXPECT_THROW(summed_cross_entropy(logits, targets, kIgnore, backend, {}, &plan), std::invalid_argument);
  }
  EXPECT_NO_THROW(star::kernels::check_cross_entropy_plan({}));
}

// Autocast (the trainer's bf16 forward) changes nothing: the loss only calls the kernels.
TEST(CrossEntropy, AutocastLeavesItAlone) {
  const auto [logits, targets] = make_inputs({17, 40, 4}, torch::kBFloat16, torch::kCPU);
  const auto plain = summed_cross_entropy(logits, targets, kIgnore, KernelBackend::kokkos);
  star::train::AutocastScope autocast(torch::kCPU, true);
  EXPECT_TRUE(torch::equal(summed_cross_entropy(logits, targets, kIgnore, KernelBackend::kokkos), plain));
}

TEST(CrossEntropy, HandCheckedValues) {
  // Row 0: logits (0, ln 3), target 1: lse = ln 4, loss = ln 4 - ln 3, softmax (1/4, 3/4).
  // Row 1 ignored.
  const float ln3 = std::log(3.0f);
  std::vector<float> logits = {0.0f, ln3, 5.0f, -5.0f}, loss(2), lse(2), grad(4);
  std::vector<int64_t> targets = {1, kIgnore};
  const float scale = 2.0f;
  star::kernels::cross_entropy_forward({}, {2, 2}, logits.data(), targets.data(), kIgnore, loss.data(), lse.data());
  EXPECT_NEAR(lse[0], std::log(4.0f), 1e-6);
  EXPECT_NEAR(loss[0], std::log(4.0f) - ln3, 1e-6);
  EXPECT_EQ(loss[1], 0.0f);
  star::kernels::cross_entropy_backward({}, {2, 2}, logits.data(), targets.data(), kIgnore, lse.data(), &scale,
                                        grad.data());
  EXPECT_NEAR(grad[0], 2 * 0.25f, 1e-6);
  EXPECT_NEAR(grad[1], 2 * (0.75f - 1), 1e-6);
  EXPECT_EQ(grad[2], 0.0f);
  EXPECT_EQ(grad[3], 0.0f);
}

TEST(CrossEntropy, TargetOutOfRangeGivesNanWithoutReadingPastTheRow) {
  std::vector<float> logits = {1, 2, 3, 4, 5, 6}, loss(3), lse(3), grad(6);
  std::vector<int64_t> targets = {2, -1, 1};  // V = 2: rows 0 and 1 point outside their row
  const float scale = 1.0f;
  star::kernels::cross_entropy_forward({}, {3, 2}, logits.data(), targets.data(), kIgnore, loss.data(), lse.data());
  EXPECT_TRUE(std::isnan(loss[0]));
  EXPECT_TRUE(std::isnan(loss[1]));
  EXPECT_FALSE(std::isnan(loss[2])) << "a bad row leaves the others alone";
  star::kernels::cross_entropy_backward({}, {3, 2}, logits.data(), targets.data(), kIgnore, lse.data(), &scale,
                                        grad.data());
  EXPECT_TRUE(std::isnan(grad[0]) && std::isnan(grad[1]) && std::isnan(grad[2]) && std::isnan(grad[3]));
  EXPECT_FALSE(std::isnan(grad[4]) || std::isnan(grad[5]));
}

TEST(CrossEntropy, RejectsBadShape) {
  float dummy = 0;
  int64_t target = 0;
  EXPECT_THROW(star::kernels::cross_entropy_forward({}, {1, 0}, &dummy, &target, kIgnore, &dummy, &dummy),
               std::invalid_argument);
  EXPECT_THROW(summed_cross_entropy(torch::zeros({2, 3}), torch::zeros({3}, torch::kInt64), kIgnore,
                                    KernelBackend::kokkos),
               c10::Error);
}

}  // namespace
