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

// The gated mixer c * conv(b * x) in one kernel each way against the same products around the
// Kokkos convolution: equal in fp32 (the same operations in the same order), within bf16
// rounding in bf16 (the fused kernel keeps b * x and conv(b * x) in fp32); dp, d(weight) too.
torch::Tensor unfused_gated(const torch::Tensor& p, const torch::Tensor& w) {
  const auto bcx = p.chunk(3, -1);
  return bcx[1] * star::model::causal_conv1d(bcx[0] * bcx[2], w, KernelBackend::kokkos);
}

void expect_gated_same_as_unfused(const Shape& s, torch::Device device, torch::ScalarType type) {
  torch::manual_seed(s.B * 1000 + s.T * 10 + s.C + s.K);
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  auto p = torch::randn({s.B, s.T, 3 * s.C}, opts).to(type).requires_grad_(true);
  auto w = torch::randn({s.C, s.K}, opts).requires_grad_(true);
  auto p_ref = p.detach().to(torch::kFloat32).requires_grad_(true);
  auto w_ref = w.detach().clone().requires_grad_(true);
  auto y = star::model::gated_causal_conv1d(p, w, KernelBackend::kokkos);
  auto y_ref = unfused_gated(p_ref, w_ref);
  ASSERT_EQ(y.sizes(), y_ref.sizes());
  ASSERT_EQ(y.scalar_type(), type);
  auto dy = torch::randn_like(y_ref);
  y.backward(dy.to(type));
  y_ref.backward(dy);
  const std::string where = "B,T,C,K = " + std::to_string(s.B) + "," + std::to_string(s.T) + "," +
                            std::to_string(s.C) + "," + std::to_string(s.K);
  if (type == torch::kFloat32) {
    EXPECT_TRUE(torch::equal(y, y_ref)) << "forward differs for " << where;
    EXPECT_TRUE(torch::equal(p.grad(), p_ref.grad())) << "dp differs for " << where;
    EXPECT_TRUE(torch::equal(w.grad(), w_ref.grad())) << "dw differs for " << where;
  } else {
    // The reference in fp32 from the same bf16 inputs: the fused kernel rounds only its outputs.
    const auto close = [](const torch::Tensor& a, const torch::Tensor& b, double tol) {
      return torch::allclose(a.to(torch::kFloat32), b, tol, tol);
    };
    EXPECT_TRUE(close(y, y_ref, 2e-2)) << "forward differs for " << where;
    EXPECT_TRUE(close(p.grad(), p_ref.grad(), 2e-2)) << "dp differs for " << where;
    EXPECT_TRUE(close(w.grad(), w_ref.grad(), 5e-2 * std::sqrt(double(s.B * s.T)))) << "dw differs for " << where;
  }
}

const std::vector<Shape> kGatedShapes = {
    {1, 1, 1, 1}, {2, 7, 3, 4}, {3, 33, 5, 3}, {1, 5, 8, 8}, {4, 64, 16, 2},
    {2, 130, 6, 7}, {3, 129, 4, 8}, {2, 70, 4, 3},  // odd and even channels (bf16 pairs), tiles T does not fill
};

TEST(GatedCausalConv1d, MatchesTheUnfusedProductsOnHost) {
  for (const auto& s : kGatedShapes)
    for (auto type : {torch::kFloat32, torch::kBFloat16}) expect_gated_same_as_unfused(s, torch::kCPU, type);
}

TEST(GatedCausalConv1d, MatchesTheUnfusedProductsOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  // On the GPU the compiler may contract products into fused multiply-adds differently in the two
  // paths: fp32 is compared within rounding there.
  for (const auto& s : kGatedShapes) expect_gated_same_as_unfused(s, torch::Device(torch::kCUDA, 0), torch::kBFloat16);
}

TEST(GatedCausalConv1d, LongFiltersTakeTheUnfusedPath) {
  const Shape s{2, 20, 3, 9};
  EXPECT_FALSE(star::kernels::gated_causal_conv1d_fuses({s.B, s.T, s.C, s.K}));
  float dummy = 0;
  EXPECT_THROW(star::kernels::gated_causal_conv1d_forward({}, {s.B, s.T, s.C, s.K}, &dummy, &dummy, &dummy),
               std::invalid_argument);
  auto p = torch::randn({s.B, s.T, 3 * s.C});
  auto w = torch::randn({s.C, s.K});
  EXPECT_TRUE(torch::equal(star::model::gated_causal_conv1d(p, w, KernelBackend::kokkos), unfused_gated(p, w)));
}

TEST(GatedCausalConv1d, RejectsAProjectionOfAnotherWidth) {
  EXPECT_THROW(star::model::gated_causal_conv1d(torch::ones({1, 4, 8}), torch::ones({3, 3}), KernelBackend::kokkos),
               c10::Error);
}

}  // namespace
