// The Kokkos causal convolution against LibTorch's grouped conv1d, forward and backward, on
// awkward shapes; on the GPU too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "kernels/causal_conv1d.hpp"
#include "model/ops/causal_conv.hpp"

namespace {

using star::model::KernelBackend;

struct Shape {
  int64_t B, T, C, K;
};

void expect_same_as_reference(const Shape& s, torch::Device device, const star::kernels::ConvPlan* plan = nullptr) {
  torch::manual_seed(s.B * 1000 + s.T * 10 + s.C + s.K);
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  auto x = torch::randn({s.B, s.T, s.C}, opts).requires_grad_(true);
  auto w = torch::randn({s.C, s.K}, opts).requires_grad_(true);
  auto x_ref = x.detach().clone().requires_grad_(true);
  auto w_ref = w.detach().clone().requires_grad_(true);

  auto y = star::model::causal_conv1d(x, w, KernelBackend::kokkos, plan);
  auto y_ref = star::model::causal_conv1d_reference(x_ref, w_ref);
  ASSERT_EQ(y.sizes(), y_ref.sizes());
  EXPECT_TRUE(torch::allclose(y, y_ref, 1e-5, 1e-5)) << "forward differs for B,T,C,K = " << s.B << "," << s.T << ","
                                                      << s.C << "," << s.K;
  auto dy = torch::randn_like(y);
  y.backward(dy);
  y_ref.backward(dy);
  EXPECT_TRUE(torch::allclose(x.grad(), x_ref.grad(), 1e-5, 1e-5)) << "dx differs";
  EXPECT_TRUE(torch::allclose(w.grad(), w_ref.grad(), 1e-4, 1e-4)) << "dw differs";
}

const std::vector<Shape> kShapes = {
    {1, 1, 1, 1}, {1, 1, 4, 4},   {2, 7, 3, 4},  {3, 33, 5, 3},  {1, 5, 8, 8},
    {4, 64, 16, 2}, {16, 9, 1, 5}, {2, 3, 7, 6},  {1, 100, 12, 4}, {64, 8, 4, 3},
    {2, 130, 5, 7}, {3, 129, 4, 8}, {2, 70, 3, 9}, {1, 66, 2, 12},  // tiles that T does not fill; filters past 8 taps
};

TEST(CausalConv1d, MatchesTorchReferenceOnHost) {
  for (const auto& s : kShapes) expect_same_as_reference(s, torch::kCPU);
}

TEST(CausalConv1d, MatchesTorchReferenceOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  for (const auto& s : kShapes) expect_same_as_reference(s, torch::Device(torch::kCUDA, 0));
}

// Every plan (tiles that the lengths do and do not fill, loads issued 1, 4 or 8 at a time,
// channels per thread) computes the same convolution and the same dw partial sums.
void expect_every_plan_same(torch::Device device) {
  for (int64_t forward_tile : {1, 5, 32})
    for (int64_t backward_tile : {1, 7, 64})
      for (int unroll : {1, 4, 8}) {
        const star::kernels::ConvPlan plan{forward_tile, backward_tile, unroll, 0};
        SCOPED_TRACE("plan " + std::to_string(forward_tile) + ":" + std::to_string(backward_tile) + ":" +
                     std::to_string(unroll));
        for (const Shape& s : {Shape{1, 1, 1, 1}, Shape{2, 7, 3, 4}, Shape{3, 33, 5, 3}, Shape{2, 130, 5, 7},
                               Shape{1, 66, 2, 12}})
          expect_same_as_reference(s, device, &plan);
      }
}

TEST(CausalConv1d, EveryPlanGivesTheSameResult) { expect_every_plan_same(torch::kCPU); }

TEST(CausalConv1d, EveryPlanGivesTheSameResultOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_every_plan_same(torch::Device(torch::kCUDA, 0));
}

TEST(CausalConv1d, RejectsPlansWithNoKernel) {
  using star::kernels::ConvPlan;
  for (const ConvPlan& plan : {ConvPlan{32, 64, 3, 0},    // unroll 1, 4 or 8
                               ConvPlan{0, 64, 8, 0},     // tiles at least 1
                               ConvPlan{32, 64, 8, 5}}) {  // channels per thread
    EXPECT_THROW(star::kernels::check_conv_plan(plan), std::invalid_argument);
    for (auto backend : {KernelBackend::kokkos, KernelBackend::torch})
      EXPECT_THROW(star::model::causal_conv1d(torch::ones({1, 4, 2}), torch::ones({2, 3}), backend, &plan),
                   std::invalid_argument);
  }
}

TEST(CausalConv1d, IsCausal) {
  // Changing input at time t must not move outputs before t.
  auto x = torch::randn({2, 20, 6});
  auto w = torch::randn({6, 4});
  auto y = star::model::causal_conv1d(x, w, KernelBackend::kokkos);
  auto x2 = x.clone();
  x2.narrow(1, 12, 8).add_(5.0);
  auto y2 = star::model::causal_conv1d(x2, w, KernelBackend::kokkos);
  EXPECT_TRUE(torch::equal(y.narrow(1, 0, 12), y2.narrow(1, 0, 12)));
  EXPECT_FALSE(torch::allclose(y.narrow(1, 12, 1), y2.narrow(1, 12, 1)));
}

TEST(CausalConv1d, HandCheckedValues) {
  // One channel, K = 2, w = [a, b]: y_t = a x_{t-1} + b x_t.
  std::vector<float> x = {1, 2, 3}, w = {10, 1}, y(3);
  star::kernels::causal_conv1d_forward({}, {1, 3, 1, 2}, x.data(), w.data(), y.data());
  EXPECT_FLOAT_EQ(y[0], 1);
  EXPECT_FLOAT_EQ(y[1], 10 * 1 + 2);
  EXPECT_FLOAT_EQ(y[2], 10 * 2 + 3);
}

TEST(CausalConv1d, RejectsBadShape) {
  float dummy = 0;
  EXPECT_THROW(star::kernels::causal_conv1d_forward({}, {1, 1, 1, 0}, &dummy, &dummy, &dummy), std::invalid_argument);
}

}  // namespace
