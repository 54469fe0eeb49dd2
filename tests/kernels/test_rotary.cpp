// The fused rotary-embedding kernels against plain loops, forward and backward, fp32 and bf16
// (one rounding), inputs at the strides of a slice of a wider tensor, on awkward shapes; on the
// GPU too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "element_data.hpp"
#include "kernels/launch.hpp"
#include "kernels/rotary.hpp"

namespace {

using star::kernels::Bf16;
using star::kernels::RotaryShape;
using star::kernels::RotaryStrides;
using star::kernels::testing::data;

constexpr float kBase = 10000.0f;

// The angle as the header defines it: exponent, power and product each rounded to fp32.
double angle(int64_t t, int64_t i, int64_t Dh) {
  const float exponent = static_cast<float>(-2 * i) / static_cast<float>(Dh);
  return static_cast<float>(t) * std::pow(kBase, exponent);
}

// The loops: x [B, T, H, Dh] (fp32, CPU, any strides) rotated by sign * angle, in double ->
// [B, T, H, Dh] contiguous.
torch::Tensor loops(const torch::Tensor& x, double sign) {
  const int64_t B = x.size(0), T = x.size(1), H = x.size(2), Dh = x.size(3), half = Dh / 2;
  auto in = x.accessor<float, 4>();
  auto y = torch::empty({B, T, H, Dh}, torch::kFloat64);
  auto out = y.accessor<double, 4>();
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t i = 0; i < half; ++i) {
          const double c = std::cos(angle(t, i, Dh)), s = sign * std::sin(angle(t, i, Dh));
          const double x1 = in[b][t][h][i], x2 = in[b][t][h][i + half];
          out[b][t][h][i] = x1 * c - x2 * s;
          out[b][t][h][i + half] = x1 * s + x2 * c;
        }
  return y;
}

struct Case {
  int64_t B, T, H, Dh;
  int64_t pad;  // extra channels per position in the wider tensor x is a slice of (0: x is contiguous)
  int64_t offset;  // where x starts in it (an odd one misaligns bf16 pairs)
};

// Dh = 2, T = 1, H = 1, half odd (3: one channel per thread), batches past one tile of 8, x the
// key part of a fused [B, T, 3 H Dh] projection, at odd strides and offsets.
const std::vector<Case> kCases = {
    {1, 1, 1, 2, 0, 0},  {2, 5, 3, 2, 0, 0},   {1, 7, 2, 6, 0, 0},    {3, 17, 4, 8, 0, 0}, {9, 3, 2, 4, 0, 0},
    {17, 2, 1, 2, 0, 0}, {2, 33, 3, 64, 0, 0}, {2, 9, 4, 16, 128, 64}, {3, 6, 2, 8, 33, 1}, {1, 100, 1, 4, 1, 0},
    {10, 4, 3, 12, 7, 3},
};

void expect_close(const torch::Tensor& got, const torch::Tensor& want, double rtol, const std::string& what) {
  auto g = got.cpu().to(torch::kFloat64);
  EXPECT_TRUE(torch::allclose(g, want, rtol, 1e-5)) << what << " differs by up to " << (g - want).abs().max().item<double>();
}

template <class Elem>
void expect_same_as_loops(const Case& c, torch::ScalarType dtype, torch::Device device) {
  torch::manual_seed(c.B * 1000 + c.T * 10 + c.H + c.Dh);
  const int64_t width = c.H * c.Dh + c.pad;
  auto wide = torch::randn({c.B, c.T, width}).to(dtype).to(device);
  auto x = wide.narrow(2, c.offset, c.H * c.Dh).view({c.B, c.T, c.H, c.Dh});  // [B, T, H, Dh], strided
  const RotaryShape shape{c.B, c.T, c.H, c.Dh};
  const RotaryStrides strides{x.stride(0), x.stride(1), x.stride(2)};
  auto y = torch::empty({c.B, c.T, c.H, c.Dh}, wide.options()), dx = torch::empty_like(y);
  const star::kernels::Launch launch{device.is_cuda(), nullptr};
  star::kernels::rotary_forward(launch, shape, kBase, data<Elem>(x), strides, data<Elem>(y));
  star::kernels::rotary_backward(launch, shape, kBase, data<Elem>(x), strides, data<Elem>(dx));
  const auto x32 = x.cpu().to(torch::kFloat32);
  const std::string what = "B,T,H,Dh = " + std::to_string(c.B) + "," + std::to_string(c.T) + "," +
                           std::to_string(c.H) + "," + std::to_string(c.Dh) + " pad " + std::to_string(c.pad) +
                           " offset " + std::to_string(c.offset) + (dtype == torch::kBFloat16 ? " bf16" : " fp32");
  // fp32: products of values of about 1 by cos and sin good to an ulp or two. bf16: rounded once,
  // within half a bf16 step (at most 2^-8 of the value) plus the fp32 error.
  const double rtol = dtype == torch::kBFloat16 ? 1.0 / 256 + 1e-5 : 1e-5;
  expect_close(y, loops(x32, 1.0), rtol, what + ": forward");
  expect_close(dx, loops(x32, -1.0), rtol, what + ": backward");
}

void expect_all_same_as_loops(torch::Device device) {
  for (const auto& c : kCases) {
    expect_same_as_loops<float>(c, torch::kFloat32, device);
    expect_same_as_loops<Bf16>(c, torch::kBFloat16, device);
  }
}

TEST(RotaryKernel, MatchesLoopsOnHost) { expect_all_same_as_loops(torch::kCPU); }

TEST(RotaryKernel, MatchesLoopsOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_all_same_as_loops(torch::Device(torch::kCUDA, 0));
}

TEST(RotaryKernel, HandCheckedValues) {
  // Dh = 2 (one pair, angle t), T = 2: position 0 is left alone, position 1 turns (1, 0) by 1 rad.
  const std::vector<float> x = {0.5f, -2.0f, 1.0f, 0.0f};
  std::vector<float> y(4), back(4);
  star::kernels::rotary_forward({}, {1, 2, 1, 2}, kBase, x.data(), {4, 2, 2}, y.data());
  EXPECT_FLOAT_EQ(y[0], 0.5f);
  EXPECT_FLOAT_EQ(y[1], -2.0f);
  EXPECT_FLOAT_EQ(y[2], std::cos(1.0f));
  EXPECT_FLOAT_EQ(y[3], std::sin(1.0f));
  // Backward is the inverse rotation.
  star::kernels::rotary_backward({}, {1, 2, 1, 2}, kBase, y.data(), {4, 2, 2}, back.data());
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(back[k], x[k], 1e-6) << k;
}

TEST(RotaryKernel, RejectsBadShape) {
  float dummy = 0;
  EXPECT_THROW(star::kernels::rotary_forward({}, {1, 1, 1, 3}, kBase, &dummy, {3, 3, 3}, &dummy), std::invalid_argument);
  EXPECT_THROW(star::kernels::rotary_forward({}, {1, 1, 1, 0}, kBase, &dummy, {0, 0, 0}, &dummy), std::invalid_argument);
  EXPECT_THROW(star::kernels::rotary_forward({}, {-1, 1, 1, 2}, kBase, &dummy, {2, 2, 2}, &dummy), std::invalid_argument);
}

}  // namespace
