// The Kokkos linear recurrence (blocked scan) against a plain sequential loop and LibTorch's
// log-step reference, forward and backward, on awkward shapes and chunk lengths; on the GPU too
// when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "kernels/causal_conv1d.hpp"
#include "kernels/linear_scan.hpp"
#include "model/ops/causal_conv.hpp"
#include "model/ops/linear_scan.hpp"

namespace {

using star::model::KernelBackend;

struct Shape {
  int64_t B, T, C;
};

// h[t] = a[t] h[t-1] + x[t], one step at a time: the definition, independent of both scans.
torch::Tensor sequential_scan(const torch::Tensor& a, const torch::Tensor& x, const torch::Tensor& h0) {
  auto h = h0;
  std::vector<torch::Tensor> out;
  for (int64_t t = 0; t < a.size(1); ++t) {
    h = a.select(1, t) * h + x.select(1, t);
    out.push_back(h);
  }
  return torch::stack(out, 1);
}

// Coefficients in (0, 1) as a gated recurrence has them (sigmoid of a projection).
torch::Tensor coefficients(const Shape& s, torch::Device device) {
  return torch::sigmoid(torch::randn({s.B, s.T, s.C}, torch::TensorOptions().device(device)) + 1.5);
}

void expect_same_as_references(const Shape& s, torch::Device device) {
  torch::manual_seed(s.B * 1000 + s.T * 10 + s.C);
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  auto a = coefficients(s, device).requires_grad_(true);
  auto x = torch::randn({s.B, s.T, s.C}, opts).requires_grad_(true);
  auto h0 = torch::randn({s.B, s.C}, opts).requires_grad_(true);
  auto a_ref = a.detach().clone().requires_grad_(true), x_ref = x.detach().clone().requires_grad_(true);
  auto h0_ref = h0.detach().clone().requires_grad_(true);
  auto a_log = a.detach().clone().requires_grad_(true), x_log = x.detach().clone().requires_grad_(true);
  auto h0_log = h0.detach().clone().requires_grad_(true);

  auto h = star::model::linear_scan(a, x, KernelBackend::kokkos, h0);
  auto h_ref = sequential_scan(a_ref, x_ref, h0_ref);
  auto h_log = star::model::linear_scan_reference(a_log, x_log, h0_log);
  const std::string where = "B,T,C = " + std::to_string(s.B) + "," + std::to_string(s.T) + "," + std::to_string(s.C);
  ASSERT_EQ(h.sizes(), h_ref.sizes()) << where;
  EXPECT_TRUE(torch::allclose(h, h_ref, 1e-5, 1e-5)) << "kokkos forward differs for " << where;
  EXPECT_TRUE(torch::allclose(h_log, h_ref, 1e-5, 1e-5)) << "log-step forward differs for " << where;
  auto dh = torch::randn_like(h);
  h.backward(dh);
  h_ref.backward(dh);
  h_log.backward(dh);
  for (auto [got, log, want, name] : {std::tuple{a.grad(), a_log.grad(), a_ref.grad(), "da"},
                                      std::tuple{x.grad(), x_log.grad(), x_ref.grad(), "dx"},
                                      std::tuple{h0.grad(), h0_log.grad(), h0_ref.grad(), "dh0"}}) {
    EXPECT_TRUE(torch::allclose(got, want, 1e-4, 1e-5)) << "kokkos " << name << " differs for " << where;
    EXPECT_TRUE(torch::allclose(log, want, 1e-4, 1e-5)) << "log-step " << name << " differs for " << where;
  }
}

// Length 1, lengths that no chunk divides, one channel, a large batch.
const std::vector<Shape> kShapes = {{1, 1, 1}, {1, 1, 5},   {2, 7, 3},   {3, 33, 5},  {1, 100, 12},
                                    {4, 64, 16}, {16, 9, 1}, {64, 17, 4}, {2, 257, 3}, {1, 1000, 2},
                                    {2, 300, 37}, {1, 2100, 70}};  // channels past one GPU team's 32; many blocks

TEST(LinearScan, MatchesReferencesOnHost) {
  for (const auto& s : kShapes) expect_same_as_references(s, torch::kCPU);
}

TEST(LinearScan, MatchesReferencesOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  for (const auto& s : kShapes) expect_same_as_references(s, torch::Device(torch::kCUDA, 0));
}

// The kernel itself with steps per thread from 1 to longer than the sequence: the same values
// whatever the blocking, forward and backward (on the GPU, teams of many threads per block).
void expect_any_chunk_length_same(torch::Device device) {
  torch::manual_seed(3);
  const int64_t B = 2, T = 45, C = 35;
  auto opts = torch::TensorOptions().device(device);
  auto a = coefficients({B, T, C}, device), x = torch::randn({B, T, C}, opts), h0 = torch::randn({B, C}, opts);
  auto dh = torch::randn({B, T, C}, opts);
  const auto want = sequential_scan(a, x, h0);
  const star::kernels::Launch launch{device.is_cuda(), nullptr};
  for (int64_t chunk : {1, 2, 4, 7, 16, 44, 45, 46, 100}) {
    star::kernels::ScanShape shape{B, T, C, chunk};
    auto h = torch::empty_like(a), dx = torch::empty_like(a), da = torch::empty_like(a), dh0 = torch::empty_like(h0);
    star::kernels::linear_scan_forward(launch, shape, a.data_ptr<float>(), x.data_ptr<float>(), h0.data_ptr<float>(),
                                       h.data_ptr<float>());
    EXPECT_TRUE(torch::allclose(h, want, 1e-5, 1e-5)) << "chunk " << chunk;
    star::kernels::linear_scan_backward(launch, shape, a.data_ptr<float>(), h.data_ptr<float>(), h0.data_ptr<float>(),
                                        dh.data_ptr<float>(), dx.data_ptr<float>(), da.data_ptr<float>(),
                                        dh0.data_ptr<float>());
    // g[t] = dh[t] + a[t+1] g[t+1], computed the slow way.
    auto g = dh.clone();
    for (int64_t t = T - 2; t >= 0; --t) g.select(1, t) += a.select(1, t + 1) * g.select(1, t + 1);
    EXPECT_TRUE(torch::allclose(dx, g, 1e-5, 1e-5)) << "chunk " << chunk;
    auto previous = torch::cat({h0.unsqueeze(1), h.narrow(1, 0, T - 1)}, 1);
    EXPECT_TRUE(torch::allclose(da, g * previous, 1e-5, 1e-5)) << "chunk " << chunk;
    EXPECT_TRUE(torch::allclose(dh0, a.select(1, 0) * g.select(1, 0), 1e-5, 1e-5)) << "chunk " << chunk;
  }
}

TEST(LinearScan, AnyChunkLengthGivesTheSameResult) { expect_any_chunk_length_same(torch::kCPU); }

TEST(LinearScan, AnyChunkLengthGivesTheSameResultOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_any_chunk_length_same(torch::Device(torch::kCUDA, 0));
}

// Every plan the GPU may be given (the walk, steps in registers, channels per thread, pieces per
// team, prefetch) computes the same scan; on the host the walk, steps and prefetch change the
// blocking too (a chained host walk passes the state on every `steps` steps).
void expect_every_plan_same(torch::Device device) {
  // A host team is one thread whatever the plan's pieces and lanes: only the GPU varies those.
  const auto pieces_list = device.is_cuda() ? std::vector<int>{1, 5, 16, 32} : std::vector<int>{16};
  const auto lanes_list = device.is_cuda() ? std::vector<int>{8, 16, 32} : std::vector<int>{32};
  for (const Shape& s : {Shape{1, 1, 1}, Shape{2, 7, 3}, Shape{3, 33, 5}, Shape{2, 300, 37}, Shape{1, 700, 70}}) {
    torch::manual_seed(s.T + s.C);
    auto opts = torch::TensorOptions().device(device);
    auto a = coefficients(s, device), x = torch::randn({s.B, s.T, s.C}, opts), h0 = torch::randn({s.B, s.C}, opts);
    auto dh = torch::randn({s.B, s.T, s.C}, opts);
    // The references once per shape: the sequential loop and its gradients.
    auto a_ref = a.clone().requires_grad_(true), x_ref = x.clone().requires_grad_(true);
    auto h0_ref = h0.clone().requires_grad_(true);
    auto h_ref = sequential_scan(a_ref, x_ref, h0_ref);
    const auto grads_ref = torch::autograd::grad({h_ref}, {a_ref, x_ref, h0_ref}, {dh});
    for (int steps : {4, 8, 16})
      for (int per_thread : {0, 1})
        for (int pieces : pieces_list)
          for (int lanes : lanes_list)
            for (int walk : {0, 1, 2, 3, 4}) {  // whole sequence without and with prefetch; chained, look-back 1, 3, 32
              const bool prefetch = walk == 1;
              const int look_back = walk < 2 ? 0 : walk == 2 ? 1 : walk == 3 ? 3 : 32;
              const star::kernels::ScanPlan plan{steps, per_thread, pieces, prefetch, lanes, look_back};
              const std::string where = "plan " + std::to_string(steps) + ":" + std::to_string(per_thread) + ":" +
                                        std::to_string(pieces) + ":" + std::to_string(prefetch) + ":" +
                                        std::to_string(lanes) + ":" + std::to_string(look_back) + ", B,T,C = " +
                                        std::to_string(s.B) + "," + std::to_string(s.T) + "," + std::to_string(s.C);
              auto ak = a.clone().requires_grad_(true), xk = x.clone().requires_grad_(true);
              auto h0k = h0.clone().requires_grad_(true);
              auto h = star::model::linear_scan(ak, xk, KernelBackend::kokkos, h0k, &plan);
              EXPECT_TRUE(torch::allclose(h, h_ref, 1e-5, 1e-5)) << "forward, " << where;
              const auto grads = torch::autograd::grad({h}, {ak, xk, h0k}, {dh});
              for (int i = 0; i < 3; ++i)
                EXPECT_TRUE(torch::allclose(grads[i], grads_ref[i], 1e-4, 1e-5)) << "gradient " << i << ", " << where;
            }
  }
}

TEST(LinearScan, EveryPlanGivesTheSameResult) { expect_every_plan_same(torch::kCPU); }

TEST(LinearScan, EveryPlanGivesTheSameResultOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_every_plan_same(torch::Device(torch::kCUDA, 0));
}

// The chained walk passes the state through words it marks with each launch's tag and never
// clears: a launch must take only its own, and it takes the exact state its previous segment
// published, so the same inputs give the same bits whatever ran before and however teams were
// timed.
void expect_chained_walk_exact_run_to_run(torch::Device device) {
  const star::kernels::ScanPlan plan{4, 0, 2, true, 32, 3};  // short segments: many links
  const Shape s{3, 1000, 70};
  torch::manual_seed(11);
  auto opts = torch::TensorOptions().device(device);
  auto a = coefficients(s, device), x = torch::randn({s.B, s.T, s.C}, opts), h0 = torch::randn({s.B, s.C}, opts);
  auto dh = torch::randn({s.B, s.T, s.C}, opts);
  auto run = [&](const torch::Tensor& a_in, const torch::Tensor& x_in) {
    auto ak = a_in.clone().requires_grad_(true), xk = x_in.clone().requires_grad_(true);
    auto h0k = h0.clone().requires_grad_(true);
    auto h = star::model::linear_scan(ak, xk, KernelBackend::kokkos, h0k, &plan);
    auto grads = torch::autograd::grad({h}, {ak, xk, h0k}, {dh});
    return std::vector<torch::Tensor>{h, grads[0], grads[1], grads[2]};
  };
  const auto first = run(a, x);
  run(a * 0.5, x + 1.0);  // leaves other states in the links
  const auto again = run(a, x);
  for (size_t i = 0; i < first.size(); ++i) EXPECT_TRUE(torch::equal(first[i], again[i])) << "output " << i;
  EXPECT_TRUE(torch::allclose(first[0], sequential_scan(a, x, h0), 1e-5, 1e-5));
}

TEST(LinearScan, ChainedWalkIsExactRunToRun) { expect_chained_walk_exact_run_to_run(torch::kCPU); }

TEST(LinearScan, ChainedWalkIsExactRunToRunOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_chained_walk_exact_run_to_run(torch::Device(torch::kCUDA, 0));
}

TEST(LinearScan, RejectsPlansWithNoKernel) {
  using star::kernels::ScanPlan;
  for (const ScanPlan& plan : {ScanPlan{5, 0, 16, true},             // steps 4, 8 or 16
                               ScanPlan{8, 3, 16, true},             // channels per thread
                               ScanPlan{8, 0, 0, true},              // pieces
                               ScanPlan{8, 0, 33, true},             //
                               ScanPlan{8, 0, 16, true, 12},         // lanes 8, 16 or 32
                               ScanPlan{8, 0, 16, true, 32, 33}}) {  // look-back 0 to 32
    EXPECT_THROW(star::kernels::check_scan_plan(plan), std::invalid_argument);
    // The op refuses it on either backend, before any kernel runs.
    for (auto backend : {KernelBackend::kokkos, KernelBackend::torch})
      EXPECT_THROW(star::model::linear_scan(torch::ones({1, 4, 2}), torch::ones({1, 4, 2}), backend, {}, &plan),
                   std::invalid_argument);
  }
}

// Without h0 the kernels get no initial state at all (null), not a tensor of zeros: forward and
// gradients must still be those of a zero state (the GPU's chained walk over many segments too).
void expect_no_initial_state_is_zero(torch::Device device) {
  const Shape s{3, 1000, 70};
  torch::manual_seed(5);
  auto opts = torch::TensorOptions().device(device);
  auto a = coefficients(s, device), x = torch::randn({s.B, s.T, s.C}, opts), dh = torch::randn({s.B, s.T, s.C}, opts);
  auto ak = a.clone().requires_grad_(true), xk = x.clone().requires_grad_(true);
  auto h = star::model::linear_scan(ak, xk, KernelBackend::kokkos);
  auto a_ref = a.clone().requires_grad_(true), x_ref = x.clone().requires_grad_(true);
  auto h_ref = sequential_scan(a_ref, x_ref, torch::zeros({s.B, s.C}, opts));
  EXPECT_TRUE(torch::allclose(h, h_ref, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(star::model::linear_scan(a, x, KernelBackend::torch), h, 1e-5, 1e-5));
  const auto grads = torch::autograd::grad({h}, {ak, xk}, {dh});
  const auto grads_ref = torch::autograd::grad({h_ref}, {a_ref, x_ref}, {dh});
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(torch::allclose(grads[i], grads_ref[i], 1e-4, 1e-5)) << "gradient " << i;
}

TEST(LinearScan, WithoutInitialStateStartsFromZero) { expect_no_initial_state_is_zero(torch::kCPU); }

TEST(LinearScan, WithoutInitialStateStartsFromZeroOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_no_initial_state_is_zero(torch::Device(torch::kCUDA, 0));
}

TEST(LinearScan, IsCausal) {
  auto a = coefficients({2, 30, 3}, torch::kCPU), x = torch::randn({2, 30, 3});
  auto h = star::model::linear_scan(a, x, KernelBackend::kokkos);
  auto a2 = a.clone(), x2 = x.clone();
  a2.narrow(1, 20, 10).mul_(0.5);
  x2.narrow(1, 20, 10).add_(3.0);
  auto h2 = star::model::linear_scan(a2, x2, KernelBackend::kokkos);
  EXPECT_TRUE(torch::equal(h.narrow(1, 0, 20), h2.narrow(1, 0, 20)));
  EXPECT_FALSE(torch::allclose(h.narrow(1, 20, 1), h2.narrow(1, 20, 1)));
}

TEST(LinearScan, RejectsMismatchedShapes) {
  EXPECT_THROW(star::model::linear_scan(torch::ones({2, 3, 4}), torch::ones({2, 3, 5}), KernelBackend::kokkos),
               c10::Error);
  EXPECT_THROW(star::model::linear_scan(torch::ones({2, 3, 4}), torch::ones({2, 3, 4}), KernelBackend::kokkos,
                                        torch::ones({2, 5})),
               c10::Error);
  star::kernels::ScanShape bad{1, -1, 1, 0};
  float dummy = 0;
  EXPECT_THROW(star::kernels::linear_scan_forward({}, bad, &dummy, &dummy, nullptr, &dummy), std::invalid_argument);
}

}  // namespace

namespace {

// bf16 activations: the kernels read bf16, carry fp32 and round the result once, so they agree
// with the fp32 computation on the same (bf16) values to bf16's precision (8 bits of mantissa).
// Odd channel counts go one channel per thread, even ones in bf16 pairs: both paths.
void expect_bf16_matches_fp32(torch::Device device, int64_t C, const star::kernels::ScanPlan* plan = nullptr) {
  torch::manual_seed(11 + C);
  auto bf16 = torch::TensorOptions().dtype(torch::kBFloat16).device(device);
  const int64_t B = 3, T = 37;
  auto a = coefficients({B, T, C}, device).to(torch::kBFloat16).requires_grad_(true);
  auto x = torch::randn({B, T, C}, bf16).requires_grad_(true);
  auto a32 = a.detach().to(torch::kFloat32).requires_grad_(true), x32 = x.detach().to(torch::kFloat32).requires_grad_(true);
  auto h = star::model::linear_scan(a, x, KernelBackend::kokkos, {}, plan);
  auto h32 = star::model::linear_scan(a32, x32, KernelBackend::kokkos, {}, plan);
  ASSERT_EQ(h.scalar_type(), torch::kBFloat16);
  EXPECT_TRUE(torch::allclose(h.to(torch::kFloat32), h32, 1.0 / 128, 1e-2)) << "bf16 scan forward";
  auto dh = torch::randn({B, T, C}, bf16);
  h.backward(dh);
  h32.backward(dh.to(torch::kFloat32));
  ASSERT_EQ(a.grad().scalar_type(), torch::kBFloat16);
  EXPECT_TRUE(torch::allclose(x.grad().to(torch::kFloat32), x32.grad(), 1.0 / 64, 2e-2)) << "bf16 scan dx";
  EXPECT_TRUE(torch::allclose(a.grad().to(torch::kFloat32), a32.grad(), 1.0 / 64, 2e-2)) << "bf16 scan da";
}

// Odd channels go one per thread, even ones in bf16 pairs (one 32-bit access): both paths.
void expect_bf16_conv_matches_fp32(torch::Device device, int64_t C, const star::kernels::ConvPlan* plan = nullptr) {
  torch::manual_seed(12 + C);
  auto bf16 = torch::TensorOptions().dtype(torch::kBFloat16).device(device);
  const int64_t B = 3, T = 37, K = 4;
  auto w = torch::randn({C, K}, torch::TensorOptions().device(device)).requires_grad_(true);
  auto w32 = w.detach().clone().requires_grad_(true);
  auto u = torch::randn({B, T, C}, bf16).requires_grad_(true);
  auto u32 = u.detach().to(torch::kFloat32).requires_grad_(true);
  auto y = star::model::causal_conv1d(u, w, KernelBackend::kokkos, plan);
  auto y32 = star::model::causal_conv1d_reference(u32, w32);
  ASSERT_EQ(y.scalar_type(), torch::kBFloat16);
  EXPECT_TRUE(torch::allclose(y.to(torch::kFloat32), y32, 1.0 / 128, 1e-2)) << "bf16 conv forward";
  auto dy = torch::randn({B, T, C}, bf16);
  y.backward(dy);
  y32.backward(dy.to(torch::kFloat32));
  EXPECT_TRUE(torch::allclose(u.grad().to(torch::kFloat32), u32.grad(), 1.0 / 128, 1e-2)) << "bf16 conv dx";
  EXPECT_TRUE(torch::allclose(w.grad(), w32.grad(), 1e-4, 1e-4)) << "bf16 conv dw (fp32 accumulation)";
}

TEST(Bf16Kernels, MatchFp32OnHost) {
  for (int64_t C : {5, 6}) {
    expect_bf16_matches_fp32(torch::kCPU, C);
    expect_bf16_conv_matches_fp32(torch::kCPU, C);
  }
}

TEST(Bf16Kernels, MatchFp32OnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  for (int64_t C : {5, 6, 70, 768}) {
    expect_bf16_matches_fp32(torch::Device(torch::kCUDA, 0), C);
    expect_bf16_conv_matches_fp32(torch::Device(torch::kCUDA, 0), C);
  }
}

// bf16 one channel per thread (plan channels_per_thread = 1) as well as in pairs, every register
// step count and with and without prefetch.
TEST(Bf16Kernels, EveryPlanMatchesFp32OnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  for (int steps : {4, 8, 16})
    for (int per_thread : {0, 1})
      for (int walk : {0, 1, 2}) {  // whole sequence without and with prefetch, chained
        const star::kernels::ScanPlan scan{steps, per_thread, 16, walk == 1, steps == 4 ? 8 : 32, walk == 2 ? 4 : 0};
        const star::kernels::ConvPlan conv{32, 64, steps == 16 ? 8 : steps, per_thread};
        for (int64_t C : {6, 70}) {
          expect_bf16_matches_fp32(torch::Device(torch::kCUDA, 0), C, &scan);
          expect_bf16_conv_matches_fp32(torch::Device(torch::kCUDA, 0), C, &conv);
        }
      }
}

}  // namespace

namespace {

// The kernels' bf16 rounding is torch's (round to nearest even, NaN stays NaN): a one-tap
// convolution multiplies in fp32 and rounds once, exactly as torch rounds the same fp32 product.
TEST(Bf16Kernels, RoundingIsTorchs) {
  torch::manual_seed(5);
  auto values = torch::cat({torch::randn({4000}) * 100, torch::tensor({0.0f, -0.0f, 1.0f, 1.00390625f, 1.01171875f,
                                                                       3.0e38f, -1e-40f, INFINITY, -INFINITY, NAN})});
  auto x = values.to(torch::kBFloat16).reshape({1, -1, 1});
  auto w = torch::full({1, 1}, 1.0f / 3.0f);
  auto y = star::model::causal_conv1d(x, w, KernelBackend::kokkos);
  auto want = (x.to(torch::kFloat32) * (1.0f / 3.0f)).to(torch::kBFloat16);
  auto bits = [](const torch::Tensor& t) { return t.view(torch::kInt16); };
  // Bit for bit, except that a sum started at +0 gives +0 where torch's product of -0 is -0.
  auto agree = (bits(y) == bits(want)) | torch::isnan(want) | ((want == 0) & (y == 0));
  EXPECT_TRUE(torch::equal(torch::isnan(y), torch::isnan(want)));
  EXPECT_EQ(agree.logical_not().sum().item<int64_t>(), 0) << "values rounded differently from torch";
}

}  // namespace
