// The gated unit op (src/model/ops/gated_unit.hpp): the fused Kokkos path against the LibTorch path,
// forward and backward (torch::autograd::grad), every nonlinearity, fp32 and bf16, awkward
// shapes; the gated MLP classes built with either backend give the same outputs and gradients;
// on the GPU too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "backend_checks.hpp"
#include "genome/operator_genome.hpp"
#include "kernels/launch.hpp"
#include "model/ops/aligned_gated_mlp.hpp"
#include "model/ops/gated_unit.hpp"

namespace {

using star::model::KernelBackend;
using star::model::gated_unit;
using star::model::testing::expect_close;

const int kNonlinearities[] = {star::genome::kIdentity, star::genome::kSilu, star::genome::kGelu,
                               star::genome::kSigmoid};

std::string name_of(int nonlinearity) {
  switch (nonlinearity) {
    case star::genome::kSilu: return "silu";
    case star::genome::kGelu: return "gelu";
    case star::genome::kSigmoid: return "sigmoid";
    default: return "identity";
  }
}

// y and d(gate_up) of `backend` for the upstream gradient dy.
star::model::testing::OpRun run_with(int nonlinearity) {
  return [nonlinearity](const torch::Tensor& gate_up, KernelBackend backend, const torch::Tensor& dy) {
    auto in = gate_up.detach().clone().requires_grad_(true);
    auto y = gated_unit(in, nonlinearity, backend);
    auto grad = torch::autograd::grad({y}, {in}, {dy})[0];
    return std::pair{y.detach(), grad};
  };
}

// gate_up of shape `lead` + [2h].
void expect_same_as_torch(const std::vector<int64_t>& lead, int64_t h, int nonlinearity, torch::Device device) {
  torch::manual_seed(h * 7 + nonlinearity + static_cast<int64_t>(lead.size()));
  auto sizes = lead, out_sizes = lead;
  sizes.push_back(2 * h);
  out_sizes.push_back(h);
  auto gate_up = (2 * torch::randn(sizes)).to(device), dy = torch::randn(out_sizes).to(device);
  // gelu: 1 + erf(x / sqrt 2) cancels for negative x, so an erff that differs from torch's by an
  // ulp (libm against torch's vectorised one, which differs between LibTorch builds) moves the
  // product act(g) u by a few 1e-6 at these magnitudes.
  const double atol = nonlinearity == star::genome::kGelu ? 1e-5 : 1e-6;
  star::model::testing::expect_kokkos_matches_torch(run_with(nonlinearity), gate_up, dy, atol,
                                                    name_of(nonlinearity) + " gate_up " + c10::str(gate_up.sizes()));
}

void expect_all_same_as_torch(torch::Device device) {
  // N = 1, h = 1, odd h, [N, 2h] and [B, T, 2h] and deeper, rows past a GPU team's stride.
  const std::vector<std::pair<std::vector<int64_t>, int64_t>> shapes = {
      {{1}, 1}, {{1, 1}, 2}, {{3}, 1}, {{2, 3}, 5}, {{4, 7}, 6}, {{2, 2, 3}, 9}, {{2, 9}, 1001}, {{1, 3}, 2048}};
  for (const auto& [lead, h] : shapes)
    for (int nonlinearity : kNonlinearities) expect_same_as_torch(lead, h, nonlinearity, device);
}

TEST(GatedUnit, MatchesTorchOnHost) { expect_all_same_as_torch(torch::kCPU); }

TEST(GatedUnit, MatchesTorchOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_all_same_as_torch(torch::Device(torch::kCUDA, 0));
}

// Other types go through fp32 and come back in their own type, gradient included; a gate_up that
// is not contiguous (a slice) is read right.
TEST(GatedUnit, OtherTypesAndLayouts) {
  auto wide = torch::randn({5, 12}, torch::kFloat64);
  auto gate_up = wide.narrow(1, 2, 8);  // [5, 8], rows 12 apart
  auto dy = torch::randn({5, 4}, torch::kFloat64);
  const auto run = run_with(star::genome::kSilu);
  const auto [y, d] = run(gate_up, KernelBackend::kokkos, dy);
  const auto [y_ref, d_ref] = run(gate_up, KernelBackend::torch, dy);
  EXPECT_EQ(y.scalar_type(), torch::kFloat64);
  EXPECT_EQ(d.scalar_type(), torch::kFloat64);
  expect_close(y, y_ref, 1e-5, 1e-6, "fp64 slice y");
  expect_close(d, d_ref, 1e-5, 1e-6, "fp64 slice d(gate_up)");
}

TEST(GatedUnit, EmptyAndBadShapes) {
  auto empty = torch::zeros({0, 3, 8}).requires_grad_(true);
  auto y = gated_unit(empty, star::genome::kSilu, KernelBackend::kokkos);
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{0, 3, 4}));
  EXPECT_THROW(gated_unit(torch::zeros({2, 3}), star::genome::kSilu, KernelBackend::kokkos), c10::Error);
}

// The gated MLP classes (SwiGLU, GeGLU) in a model: both backends give the same logits and
// parameter gradients.
TEST(GatedUnit, GatedMlpBackendsAgree) {
  star::model::testing::expect_backends_agree("11111-11111", 4, 3, 7);
  star::model::testing::expect_backends_agree("11111-91111", 4, 3, 7);
}

}  // namespace

namespace {

// The gated MLP with its hidden width padded for aligned GEMMs (model/ops/aligned_gated_mlp.hpp)
// against the same weights unpadded: outputs and every gradient (x, W_gate_up, W_down, all of the
// unpadded shapes) agree, for every nonlinearity (sigmoid(0) = 1/2 is not 0: the added channels
// are zero through the up half) and both backends; on the GPU too where there is one.
void expect_padding_changes_nothing(torch::Device device) {
  using star::model::aligned_gated_mlp;
  for (const int nonlinearity : kNonlinearities)
    for (const auto backend : {KernelBackend::kokkos, KernelBackend::torch}) {
      torch::manual_seed(nonlinearity + 11);
      const int64_t d = 12, h = 21;  // 21 -> 24
      const auto x = torch::randn({2, 5, d}).to(device), dy = torch::randn({2, 5, d}).to(device);
      const auto w1 = (0.3 * torch::randn({2 * h, d})).to(device), w2 = (0.3 * torch::randn({d, h})).to(device);
      std::vector<torch::Tensor> got[2];
      for (const int64_t alignment : {1, 8}) {
        auto xi = x.clone().requires_grad_(true), w1i = w1.clone().requires_grad_(true),
             w2i = w2.clone().requires_grad_(true);
        const auto y = aligned_gated_mlp(xi, w1i, w2i, nonlinearity, backend, alignment);
        auto grads = torch::autograd::grad({y}, {xi, w1i, w2i}, {dy});
        grads.insert(grads.begin(), y.detach());
        got[alignment == 8] = grads;
      }
      const char* names[] = {"y", "dx", "dW_gate_up", "dW_down"};
      for (int i = 0; i < 4; ++i) {
        ASSERT_EQ(got[0][i].sizes(), got[1][i].sizes()) << names[i];
        EXPECT_TRUE(torch::allclose(got[0][i], got[1][i], 1e-5, 1e-6))
            << name_of(nonlinearity) << " " << names[i] << " differs by "
            << (got[0][i] - got[1][i]).abs().max().item<double>();
      }
    }
}

TEST(AlignedGatedMlp, PaddingChangesNothing) { expect_padding_changes_nothing(torch::kCPU); }

TEST(AlignedGatedMlp, PaddingChangesNothingOnGpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no GPU";
  expect_padding_changes_nothing(torch::Device(torch::kCUDA, 0));
}

}  // namespace
