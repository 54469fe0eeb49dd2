// The residual add and norm op (src/model/ops/add_rms_norm.hpp): the fused Kokkos path against the
// LibTorch path (h + delta, then rms_norm), outputs and the gradients of h, delta and the gain
// (torch::autograd::grad), fp32 and bf16 deltas, with and without a gradient through the new h;
// models built with either backend agree; on the GPU too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "backend_checks.hpp"
#include "kernels/launch.hpp"
#include "model/ops/add_rms_norm.hpp"

namespace {

using star::model::KernelBackend;
using star::model::testing::expect_close;

struct Run {
  torch::Tensor h_out, y, dh, ddelta, dgain;
};

// Both outputs and the gradients for upstream gradients dy (of y) and, when defined, dh_out.
Run run(const torch::Tensor& h, const torch::Tensor& delta, const torch::Tensor& gain, const torch::Tensor& dy,
        const torch::Tensor& dh_out, KernelBackend backend) {
  auto hi = h.detach().clone().requires_grad_(true), di = delta.detach().clone().requires_grad_(true),
       gi = gain.detach().clone().requires_grad_(true);
  auto out = star::model::add_rms_norm(hi, di, gi, 1e-6, backend);
  std::vector<torch::Tensor> outputs = {out.y}, grads = {dy.to(out.y.scalar_type())};
  if (dh_out.defined()) {
    outputs.push_back(out.h);
    grads.push_back(dh_out);
  }
  auto g = torch::autograd::grad(outputs, {hi, di, gi}, grads);
  return {out.h.detach(), out.y.detach(), g[0], g[1], g[2]};
}

void expect_same_as_torch(const std::vector<int64_t>& sizes, torch::ScalarType delta_type, bool upstream,
                          torch::Device device) {
  torch::manual_seed(sizes.back() * 3 + upstream);
  const auto f32 = torch::TensorOptions().device(device);
  auto h = torch::randn(sizes, f32), delta = torch::randn(sizes, f32).to(delta_type);
  auto gain = 1 + 0.3 * torch::randn({sizes.back()}, f32), dy = torch::randn(sizes, f32);
  auto dh_out = upstream ? torch::randn(sizes, f32) : torch::Tensor();
  const auto got = run(h, delta, gain, dy, dh_out, KernelBackend::kokkos);
  // The reference sees the same bf16 values, in fp32 (its norm runs in fp32 either way).
  const auto want = run(h, delta.to(torch::kFloat32), gain, dy.to(delta_type).to(torch::kFloat32), dh_out,
                        KernelBackend::torch);
  const bool bf16 = delta_type == torch::kBFloat16;
  const std::string what = c10::str(sizes) + (bf16 ? " bf16" : " fp32") + (upstream ? " with dh_out" : "");
  EXPECT_EQ(got.y.scalar_type(), delta_type) << what;
  EXPECT_EQ(got.ddelta.scalar_type(), delta_type) << what;
  EXPECT_EQ(got.dh.scalar_type(), torch::kFloat32) << what;
  const double rtol = bf16 ? 1.0 / 128 : 1e-5;
  expect_close(got.h_out, want.h_out, 1e-6, 1e-6, what + " h");
  expect_close(got.y, want.y, rtol, 1e-5, what + " y");
  expect_close(got.dh, want.dh, 1e-4, 1e-5, what + " dh");
  expect_close(got.ddelta, want.ddelta, rtol, 1e-5, what + " ddelta");
  expect_close(got.dgain, want.dgain, 1e-4, 1e-4, what + " dgain");
}

void expect_all_same_as_torch(torch::Device device) {
  for (const auto& sizes : std::vector<std::vector<int64_t>>{{1, 1}, {3, 5}, {2, 7, 64}, {2, 3, 4, 33}})
    for (auto type : {torch::kFloat32, torch::kBFloat16})
      for (bool upstream : {false, true}) expect_same_as_torch(sizes, type, upstream, device);
}

TEST(AddRmsNorm, MatchesTorchOnHost) { expect_all_same_as_torch(torch::kCPU); }

TEST(AddRmsNorm, MatchesTorchOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_all_same_as_torch(torch::Device(torch::kCUDA, 0));
}

// Types the kernels do not take go the torch way, with the same result.
TEST(AddRmsNorm, OtherTypesTakeTheTorchPath) {
  auto h = torch::randn({3, 8}, torch::kFloat64), delta = torch::randn({3, 8}, torch::kFloat64);
  auto gain = torch::ones({8}, torch::kFloat64);
  auto a = star::model::add_rms_norm(h, delta, gain, 1e-6, KernelBackend::kokkos);
  auto b = star::model::add_rms_norm(h, delta, gain, 1e-6, KernelBackend::torch);
  EXPECT_TRUE(torch::equal(a.h, b.h));
  EXPECT_TRUE(torch::allclose(a.y, b.y));
}

// Every link between LIVs runs through the op in a model: attention, recurrence and convolution
// genomes give the same logits and parameter gradients with either backend.
TEST(AddRmsNorm, ModelBackendsAgree) {
  star::model::testing::expect_backends_agree("11111-31111-11111", 6, 2, 9);
  star::model::testing::expect_backends_agree("61111-21111-81111-31111", 7, 2, 9);
}

}  // namespace
