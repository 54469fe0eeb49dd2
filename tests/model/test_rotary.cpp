// The rotary embedding op (src/model/ops/rotary.hpp): the fused Kokkos path against the LibTorch path,
// forward and backward (torch::autograd::grad), fp32 and bf16, awkward shapes, inputs that are
// slices of a wider tensor (the heads of a fused QKV projection, as attention passes them); the
// attention classes built with either backend give the same outputs and gradients; on the GPU
// too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "backend_checks.hpp"
#include "kernels/launch.hpp"
#include "model/ops/rotary.hpp"

namespace {

using star::model::KernelBackend;
using star::model::apply_rotary;
using star::model::testing::expect_close;

constexpr double kBase = 10000.0;

struct Case {
  int64_t B, H, T, Dh;
  std::string layout;  // "contiguous" [B, H, T, Dh]; "qkv": the key heads of a [B, T, 3 H Dh] projection;
                       // "odd": heads of a [B, T, H Dh + 3] tensor from offset 1; "strided": every other channel
};

// The tensor x is a view of.
torch::Tensor wide_input(const Case& c, torch::Device device) {
  if (c.layout == "contiguous") return torch::randn({c.B, c.H, c.T, c.Dh}).to(device);
  if (c.layout == "qkv") return torch::randn({c.B, c.T, 3 * c.H * c.Dh}).to(device);
  if (c.layout == "odd") return torch::randn({c.B, c.T, c.H * c.Dh + 3}).to(device);
  return torch::randn({c.B, c.H, c.T, 2 * c.Dh}).to(device);
}

// x [B, H, T, Dh] as a view of `wide` rotated by `backend`: the output and the gradient of wide
// for the upstream gradient dy.
star::model::testing::OpRun run_with(const Case& c) {
  return [c](const torch::Tensor& wide, KernelBackend backend, const torch::Tensor& dy) {
    auto leaf = wide.detach().clone().requires_grad_(true);
    torch::Tensor x;
    if (c.layout == "contiguous") x = leaf;
    else if (c.layout == "qkv") x = leaf.narrow(2, c.H * c.Dh, c.H * c.Dh).view({c.B, c.T, c.H, c.Dh}).transpose(1, 2);
    else if (c.layout == "odd") x = leaf.narrow(2, 1, c.H * c.Dh).view({c.B, c.T, c.H, c.Dh}).transpose(1, 2);
    else x = leaf.slice(3, 0, 2 * c.Dh, 2);  // channels 2 apart
    auto y = apply_rotary(x, kBase, backend);
    auto grad = torch::autograd::grad({y}, {leaf}, {dy})[0];
    return std::pair{y.detach(), grad};
  };
}

// T = 1, Dh = 2, one head, half odd (3), batches past the kernel's tile of 8, long enough for
// large angles; every layout.
const std::vector<Case> kCases = {
    {1, 1, 1, 2, "contiguous"}, {2, 3, 5, 2, "contiguous"}, {1, 2, 7, 6, "contiguous"}, {9, 2, 3, 4, "contiguous"},
    {2, 4, 17, 8, "qkv"},       {1, 1, 1, 2, "qkv"},        {3, 2, 33, 64, "qkv"},      {17, 1, 2, 2, "qkv"},
    {2, 2, 9, 6, "odd"},        {3, 3, 4, 8, "odd"},        {2, 2, 5, 4, "strided"},    {1, 3, 300, 16, "contiguous"},
};

void expect_all_same_as_torch(torch::Device device) {
  for (const auto& c : kCases) {
    torch::manual_seed(c.B * 1000 + c.T * 10 + c.H + c.Dh);
    auto wide = wide_input(c, device), dy = torch::randn({c.B, c.H, c.T, c.Dh}).to(device);
    star::model::testing::expect_kokkos_matches_torch(
        run_with(c), wide, dy, 1e-5,
        "B,H,T,Dh = " + std::to_string(c.B) + "," + std::to_string(c.H) + "," + std::to_string(c.T) + "," +
            std::to_string(c.Dh) + " " + c.layout);
  }
}

TEST(Rotary, MatchesTorchOnHost) { expect_all_same_as_torch(torch::kCPU); }

TEST(Rotary, MatchesTorchOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_all_same_as_torch(torch::Device(torch::kCUDA, 0));
}

// The fused projection's rotation (rotary_queries_keys_values): queries, keys and values of a
// [B, T, (H + 2 Hkv) Dh] product, grouped (Hkv < H) or not, against the LibTorch path, output and
// the gradient of the whole product (written as one tensor on the Kokkos path).
TEST(Rotary, FusedQueriesKeysValuesMatchTorch) {
  struct Qkv {
    int64_t B, H, Hkv, T, Dh;
  };
  for (const auto& c : {Qkv{2, 4, 4, 17, 8}, Qkv{3, 6, 2, 9, 16}, Qkv{1, 1, 1, 1, 2}, Qkv{9, 2, 1, 5, 6}}) {
    torch::manual_seed(c.B * 100 + c.H * 10 + c.Hkv);
    const int64_t W = (c.H + 2 * c.Hkv) * c.Dh, flat = c.B * c.T * W;
    auto wide = torch::randn({c.B, c.T, W}), dy = torch::randn({flat});
    const auto run = [c](const torch::Tensor& qkv, KernelBackend backend, const torch::Tensor& upstream) {
      auto leaf = qkv.detach().clone().requires_grad_(true);
      const auto out = star::model::rotary_queries_keys_values(leaf, c.H, c.Hkv, kBase, backend);
      EXPECT_EQ(out[0].sizes(), (std::vector<int64_t>{c.B, c.H, c.T, c.Dh}));
      EXPECT_EQ(out[2].sizes(), (std::vector<int64_t>{c.B, c.Hkv, c.T, c.Dh}));
      auto y = torch::cat({out[0].reshape({-1}), out[1].reshape({-1}), out[2].reshape({-1})});
      auto grad = torch::autograd::grad({y}, {leaf}, {upstream})[0];
      return std::pair{y.detach(), grad};
    };
    star::model::testing::expect_kokkos_matches_torch(run, wide, dy, 1e-5,
                                                      "B,H,Hkv,T,Dh = " + std::to_string(c.B) + "," + std::to_string(c.H) +
                                                          "," + std::to_string(c.Hkv) + "," + std::to_string(c.T) + "," +
                                                          std::to_string(c.Dh));
  }
}

// The Kokkos output is [B, T, H, Dh] in memory, seen as [B, H, T, Dh]: what SDPA reads as it is.
TEST(Rotary, KokkosOutputIsTheTransposeOfAContiguousTensor) {
  auto x = torch::randn({2, 3, 5, 4});
  auto y = apply_rotary(x, kBase, KernelBackend::kokkos);
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_TRUE(y.transpose(1, 2).is_contiguous());
}

TEST(Rotary, OtherTypesAndBadShapes) {
  auto x = torch::randn({2, 2, 3, 4}, torch::kFloat64).requires_grad_(true);
  auto y = apply_rotary(x, kBase, KernelBackend::kokkos);
  EXPECT_EQ(y.scalar_type(), torch::kFloat64);
  expect_close(y, apply_rotary(x, kBase, KernelBackend::torch), 1e-5, 1e-5, "fp64 via fp32");
  y.sum().backward();  // an upstream gradient of stride 0
  EXPECT_EQ(x.grad().scalar_type(), torch::kFloat64);
  EXPECT_EQ(apply_rotary(torch::zeros({0, 2, 3, 4}), kBase, KernelBackend::kokkos).sizes(),
            (std::vector<int64_t>{0, 2, 3, 4}));
  EXPECT_THROW(apply_rotary(torch::zeros({1, 1, 2, 3}), kBase, KernelBackend::kokkos), c10::Error);
  EXPECT_THROW(apply_rotary(torch::zeros({1, 2, 3}), kBase, KernelBackend::kokkos), c10::Error);
}

// The attention classes (SA-1; SA-3 grouped queries with keys and values shared with later LIVs)
// in a model: both backends give the same logits and parameter gradients.
TEST(Rotary, AttentionBackendsAgree) {
  star::model::testing::expect_backends_agree("31111-11111", 6, 3, 11);
  star::model::testing::expect_backends_agree("51111-31112-31112", 6, 3, 11);
}

}  // namespace
