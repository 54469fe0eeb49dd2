// The fused gated-unit kernels against plain loops in double precision, forward and backward,
// every activation, fp32 and bf16 (one rounding: within half a bf16 step of the exact value), on
// awkward shapes; on the GPU too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "element_data.hpp"
#include "kernels/gated_unit.hpp"
#include "kernels/launch.hpp"

namespace {

using star::kernels::Bf16;
using star::kernels::GateActivation;
using star::kernels::testing::data;

const GateActivation kActivations[] = {GateActivation::identity, GateActivation::silu, GateActivation::gelu,
                                       GateActivation::sigmoid};

std::string name_of(GateActivation a) {
  switch (a) {
    case GateActivation::silu: return "silu";
    case GateActivation::gelu: return "gelu";
    case GateActivation::sigmoid: return "sigmoid";
    default: return "identity";
  }
}

// act(x) and act'(x), by the textbook formulas.
double act(GateActivation a, double x) {
  switch (a) {
    case GateActivation::silu: return x / (1 + std::exp(-x));
    case GateActivation::gelu: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case GateActivation::sigmoid: return 1 / (1 + std::exp(-x));
    default: return x;
  }
}
double slope(GateActivation a, double x) {
  const double s = 1 / (1 + std::exp(-x));
  switch (a) {
    case GateActivation::silu: return s + x * s * (1 - s);
    case GateActivation::gelu: return 0.5 * (1 + std::erf(x / std::sqrt(2.0))) + x * std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
    case GateActivation::sigmoid: return s * (1 - s);
    default: return 1;
  }
}

// The loops: gate_up [N, 2h], dy [N, h] (fp32, CPU) -> y [N, h], dgate_up [N, 2h] in double.
void loops(GateActivation a, const torch::Tensor& gate_up, const torch::Tensor& dy, torch::Tensor& y,
           torch::Tensor& dgate_up) {
  const int64_t N = gate_up.size(0), h = gate_up.size(1) / 2;
  auto gu = gate_up.accessor<float, 2>();
  auto d = dy.accessor<float, 2>();
  y = torch::empty({N, h}, torch::kFloat64);
  dgate_up = torch::empty({N, 2 * h}, torch::kFloat64);
  auto ya = y.accessor<double, 2>();
  auto da = dgate_up.accessor<double, 2>();
  for (int64_t n = 0; n < N; ++n)
    for (int64_t j = 0; j < h; ++j) {
      const double g = gu[n][j], u = gu[n][h + j];
      ya[n][j] = act(a, g) * u;
      da[n][j] = d[n][j] * u * slope(a, g);
      da[n][h + j] = d[n][j] * act(a, g);
    }
}

// The kernels on `device` in `dtype` against the loops on the same (rounded) inputs.
template <class Elem>
void expect_same_as_loops(int64_t N, int64_t h, GateActivation a, torch::ScalarType dtype, torch::Device device) {
  torch::manual_seed(N * 31 + h + static_cast<int>(a));
  auto gate_up = (2 * torch::randn({N, 2 * h})).to(dtype).to(device);
  auto dy = torch::randn({N, h}).to(dtype).to(device);
  auto y = torch::empty({N, h}, gate_up.options()), dgate_up = torch::empty_like(gate_up);
  const star::kernels::Launch launch{device.is_cuda(), nullptr};
  star::kernels::gated_unit_forward(launch, {N, h}, a, data<Elem>(gate_up), data<Elem>(y));
  star::kernels::gated_unit_backward(launch, {N, h}, a, data<Elem>(gate_up), data<Elem>(dy), data<Elem>(dgate_up));
  torch::Tensor y_want, d_want;
  loops(a, gate_up.cpu().to(torch::kFloat32), dy.cpu().to(torch::kFloat32), y_want, d_want);
  const std::string what = name_of(a) + " N=" + std::to_string(N) + " h=" + std::to_string(h) +
                           (dtype == torch::kBFloat16 ? " bf16" : " fp32");
  // fp32: a few ulps. bf16: fp32 arithmetic rounded once, so within half a bf16 step (2^-9 of
  // the value's binade, at most 2^-8 of the value) plus the fp32 error.
  const double rtol = dtype == torch::kBFloat16 ? 1.0 / 256 + 1e-5 : 1e-5;
  auto y_got = y.cpu().to(torch::kFloat64), d_got = dgate_up.cpu().to(torch::kFloat64);
  EXPECT_TRUE(torch::allclose(y_got, y_want, rtol, 1e-6))
      << what << ": y differs by up to " << (y_got - y_want).abs().max().item<double>();
  EXPECT_TRUE(torch::allclose(d_got, d_want, rtol, 1e-6))
      << what << ": dgate_up differs by up to " << (d_got - d_want).abs().max().item<double>();
}

struct Shape {
  int64_t N, h;
};
// One row, one channel, odd widths (one channel per thread in bf16), even ones (pairs), rows
// longer than a GPU team's stride.
const std::vector<Shape> kShapes = {{1, 1}, {1, 2}, {3, 1}, {5, 7}, {4, 6}, {17, 33}, {2, 2048}, {64, 130}, {9, 1001}};

void expect_all_same_as_loops(torch::Device device) {
  for (const auto& s : kShapes)
    for (auto a : kActivations) {
      expect_same_as_loops<float>(s.N, s.h, a, torch::kFloat32, device);
      expect_same_as_loops<Bf16>(s.N, s.h, a, torch::kBFloat16, device);
    }
}

TEST(GatedUnitKernel, MatchesLoopsOnHost) { expect_all_same_as_loops(torch::kCPU); }

TEST(GatedUnitKernel, MatchesLoopsOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_all_same_as_loops(torch::Device(torch::kCUDA, 0));
}

TEST(GatedUnitKernel, HandCheckedValues) {
  // One row, h = 2: g = (0, 1), u = (3, 2). silu(0) = 0, silu(1) = 1 / (1 + 1/e).
  const std::vector<float> gate_up = {0.0f, 1.0f, 3.0f, 2.0f}, dy = {1.0f, 0.5f};
  std::vector<float> y(2), d(4);
  const double s1 = 1 / (1 + std::exp(-1.0));
  star::kernels::gated_unit_forward({}, {1, 2}, GateActivation::silu, gate_up.data(), y.data());
  EXPECT_FLOAT_EQ(y[0], 0.0f);
  EXPECT_FLOAT_EQ(y[1], static_cast<float>(2 * s1));
  star::kernels::gated_unit_backward({}, {1, 2}, GateActivation::silu, gate_up.data(), dy.data(), d.data());
  EXPECT_FLOAT_EQ(d[0], 3 * 0.5f);  // silu'(0) = 1/2
  EXPECT_FLOAT_EQ(d[1], static_cast<float>(0.5 * 2 * (s1 + s1 * (1 - s1))));
  EXPECT_FLOAT_EQ(d[2], 0.0f);  // du = dy silu(g)
  EXPECT_FLOAT_EQ(d[3], static_cast<float>(0.5 * s1));
  // gelu is the exact one (erf), not the tanh approximation: they differ by about 2e-4 at 1.
  star::kernels::gated_unit_forward({}, {1, 2}, GateActivation::gelu, gate_up.data(), y.data());
  EXPECT_FLOAT_EQ(y[1], static_cast<float>(2 * 0.5 * (1 + std::erf(1 / std::sqrt(2.0)))));
}

// bf16 results are rounded to nearest even, once: the identity gate with u = 1 gives g back bit
// for bit, and a product that lands exactly between two bf16 values goes to the even one.
TEST(GatedUnitKernel, Bf16RoundsOnceToNearestEven) {
  auto gate_up = torch::tensor({1.0f + 1.0f / 128, 3.0f, 1.5f, 1.0f + 1.0f / 256}).view({1, 4}).to(torch::kBFloat16);
  // g = (1 + 2^-7, 3), u = (1.5, 1 + 2^-8 -> rounds to 1 in bf16 already)
  auto y = torch::empty({1, 2}, torch::kBFloat16);
  star::kernels::gated_unit_forward({}, {1, 2}, GateActivation::identity, data<Bf16>(gate_up), data<Bf16>(y));
  // (1 + 2^-7) * 1.5 = 1.5 + 1.5 * 2^-7 = 1.51171875: between 1.5078125 and 1.515625, exactly
  // halfway; the even one is 1.515625 (mantissa 0b1000001 is odd, 0b1000010 even).
  EXPECT_EQ(y[0][0].item<float>(), 1.515625f);
  EXPECT_EQ(y[0][1].item<float>(), 3.0f);
}

TEST(GatedUnitKernel, RejectsBadShape) {
  float dummy = 0;
  EXPECT_THROW(star::kernels::gated_unit_forward({}, {-1, 1}, GateActivation::silu, &dummy, &dummy),
               std::invalid_argument);
  EXPECT_THROW(star::kernels::gated_unit_forward({}, {1, 1}, static_cast<GateActivation>(9), &dummy, &dummy),
               std::invalid_argument);
}

}  // namespace
