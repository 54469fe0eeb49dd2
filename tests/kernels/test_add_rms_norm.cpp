// The fused residual-add and RMSNorm kernels against plain loops in double precision, forward and
// backward, fp32 and bf16 (delta, y, dy and ddelta in bf16: one rounding of fp32 arithmetic), with
// and without an upstream gradient for h_out, on awkward shapes: one row, one channel, odd widths,
// more rows than the backward pass has teams (so that teams walk several rows and dgain is a sum
// of partials); on the GPU too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "element_data.hpp"
#include "kernels/add_rms_norm.hpp"
#include "kernels/launch.hpp"

namespace {

using star::kernels::Bf16;
using star::kernels::testing::data;

constexpr double kEps = 1e-6;

struct Expected {
  torch::Tensor h_out, y, dh, dgain;  // double
};

// The loops, on fp32 CPU copies of the inputs; dh_out may be undefined (zero).
Expected loops(const torch::Tensor& h, const torch::Tensor& delta, const torch::Tensor& gain, const torch::Tensor& dy,
               const torch::Tensor& dh_out) {
  const int64_t N = h.size(0), d = h.size(1);
  auto H = h.to(torch::kFloat64), D = delta.to(torch::kFloat64), G = gain.to(torch::kFloat64),
       DY = dy.to(torch::kFloat64);
  Expected e{torch::empty({N, d}, torch::kFloat64), torch::empty({N, d}, torch::kFloat64),
             torch::empty({N, d}, torch::kFloat64), torch::zeros({d}, torch::kFloat64)};
  auto ha = H.accessor<double, 2>(), da = D.accessor<double, 2>(), dya = DY.accessor<double, 2>();
  auto ga = G.accessor<double, 1>();
  auto out = e.h_out.accessor<double, 2>(), ya = e.y.accessor<double, 2>(), dha = e.dh.accessor<double, 2>();
  auto dga = e.dgain.accessor<double, 1>();
  auto UP = dh_out.defined() ? dh_out.to(torch::kFloat64) : torch::zeros({N, d}, torch::kFloat64);
  auto upa = UP.accessor<double, 2>();
  for (int64_t n = 0; n < N; ++n) {
    double squares = 0;
    for (int64_t j = 0; j < d; ++j) {
      out[n][j] = ha[n][j] + da[n][j];
      squares += out[n][j] * out[n][j];
    }
    const double r = 1 / std::sqrt(squares / d + kEps);
    double dot = 0;
    for (int64_t j = 0; j < d; ++j) {
      ya[n][j] = out[n][j] * r * ga[j];
      dot += dya[n][j] * ga[j] * out[n][j] * r;
      dga[j] += dya[n][j] * out[n][j] * r;
    }
    for (int64_t j = 0; j < d; ++j) dha[n][j] = upa[n][j] + r * (dya[n][j] * ga[j] - out[n][j] * r * dot / d);
  }
  return e;
}

void expect_near(const torch::Tensor& got, const torch::Tensor& want, double rtol, double atol, const std::string& what) {
  auto g = got.cpu().to(torch::kFloat64);
  EXPECT_TRUE(torch::allclose(g, want, rtol, atol)) << what << " differs by up to " << (g - want).abs().max().item<double>();
}

template <class Elem>
void expect_same_as_loops(int64_t N, int64_t d, bool upstream, torch::ScalarType dtype, torch::Device device) {
  torch::manual_seed(N * 131 + d + upstream);
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  auto h = torch::randn({N, d}, f32), delta = torch::randn({N, d}).to(dtype).to(device);
  auto gain = (1 + 0.5 * torch::randn({d})).to(device), dy = torch::randn({N, d}).to(dtype).to(device);
  auto dh_out = upstream ? torch::randn({N, d}, f32) : torch::Tensor();
  auto h_out = torch::empty_like(h), y = torch::empty_like(delta), rstd = torch::empty({N}, f32);
  const star::kernels::AddRmsNormShape shape{N, d};
  const star::kernels::Launch launch{device.is_cuda(), nullptr};
  star::kernels::add_rms_norm_forward(launch, shape, kEps, h.data_ptr<float>(), data<Elem>(delta),
                                      gain.data_ptr<float>(), h_out.data_ptr<float>(), data<Elem>(y),
                                      rstd.data_ptr<float>());
  auto dh = torch::empty_like(h), ddelta = torch::empty_like(delta);
  auto partial = torch::empty({star::kernels::add_rms_norm_partial_rows(launch, shape), d}, f32);
  star::kernels::add_rms_norm_backward(launch, shape, h_out.data_ptr<float>(), rstd.data_ptr<float>(),
                                       gain.data_ptr<float>(), data<Elem>(dy),
                                       upstream ? dh_out.data_ptr<float>() : nullptr, dh.data_ptr<float>(),
                                       data<Elem>(ddelta), partial.data_ptr<float>());
  const auto want = loops(h.cpu(), delta.cpu().to(torch::kFloat32), gain.cpu(), dy.cpu().to(torch::kFloat32),
                          upstream ? dh_out.cpu() : torch::Tensor());
  const std::string what = "N=" + std::to_string(N) + " d=" + std::to_string(d) +
                           (dtype == torch::kBFloat16 ? " bf16" : " fp32") + (upstream ? " with dh_out" : "");
  // fp32: sums of d terms in fp32. bf16 outputs: one rounding (2^-8 of the value) on top.
  const double rtol = dtype == torch::kBFloat16 ? 1.0 / 256 + 1e-4 : 1e-4;
  expect_near(h_out, want.h_out, 1e-6, 1e-6, what + ": h_out");
  expect_near(y, want.y, rtol, 1e-5, what + ": y");
  expect_near(dh, want.dh, 1e-4, 1e-4, what + ": dh");
  expect_near(ddelta, want.dh, rtol, 1e-4, what + ": ddelta");
  expect_near(partial.sum(0), want.dgain, 1e-4, 1e-4 * std::sqrt(double(N)), what + ": dgain");
  auto r = rstd.cpu().to(torch::kFloat64);
  auto r_want = 1 / (want.h_out.pow(2).mean(1) + kEps).sqrt();
  expect_near(r, r_want, 1e-5, 0, what + ": rstd");
}

void expect_all_same_as_loops(torch::Device device) {
  // One row, one channel, odd widths (one channel per thread in bf16), the models' width, and
  // more rows than backward teams (1024; on a GPU 4096 warps for widths that are multiples of 4
  // up to 1024: one access per thread, two with some lanes idle, eight), so that teams walk
  // several rows.
  const std::vector<std::pair<int64_t, int64_t>> shapes = {{1, 1},    {1, 2},     {3, 5},     {7, 33},  {4, 768},
                                                           {2500, 6}, {5, 1001}, {9000, 128}, {5, 132}, {3, 1024}};
  for (const auto& [N, d] : shapes)
    for (bool upstream : {false, true}) {
      expect_same_as_loops<float>(N, d, upstream, torch::kFloat32, device);
      expect_same_as_loops<Bf16>(N, d, upstream, torch::kBFloat16, device);
    }
}

TEST(AddRmsNormKernel, MatchesLoopsOnHost) { expect_all_same_as_loops(torch::kCPU); }

TEST(AddRmsNormKernel, MatchesLoopsOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_all_same_as_loops(torch::Device(torch::kCUDA, 0));
}

TEST(AddRmsNormKernel, HandCheckedValues) {
  // h + delta = (3, 4): rms = sqrt(12.5); y = (3, 4) / sqrt(12.5) * (1, 2).
  const std::vector<float> h = {1, 1}, delta = {2, 3}, gain = {1, 2};
  std::vector<float> h_out(2), y(2), rstd(1);
  star::kernels::add_rms_norm_forward({}, {1, 2}, 0.0f, h.data(), delta.data(), gain.data(), h_out.data(), y.data(),
                                      rstd.data());
  EXPECT_FLOAT_EQ(h_out[0], 3.0f);
  EXPECT_FLOAT_EQ(h_out[1], 4.0f);
  EXPECT_FLOAT_EQ(rstd[0], static_cast<float>(1 / std::sqrt(12.5)));
  EXPECT_FLOAT_EQ(y[0], static_cast<float>(3 / std::sqrt(12.5)));
  EXPECT_FLOAT_EQ(y[1], static_cast<float>(8 / std::sqrt(12.5)));
}

TEST(AddRmsNormKernel, RejectsBadShape) {
  float dummy = 0;
  EXPECT_THROW(star::kernels::add_rms_norm_forward({}, {-1, 4}, 1e-6f, &dummy, &dummy, &dummy, &dummy, &dummy, &dummy),
               std::invalid_argument);
  EXPECT_THROW(star::kernels::add_rms_norm_partial_rows({}, {1, -2}), std::invalid_argument);
}

}  // namespace
