// Under mpirun with 1 or 2 ranks, one GPU each (CUDA build only; main() is mpi_main.cpp's):
// gradient sums through NCCL are exact for fp32 and bf16 gradients of several shapes and strides,
// stay right when the sizes change between calls and on a stream other than the default one,
// are captured in a CUDA graph and replayed,
// host values are summed through MPI, and ranks that share a GPU are given the MPI reducer.
#include <gtest/gtest.h>
#include <mpi.h>

#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "cluster/make_gradient_reducer.hpp"
#include "cluster/mpi_gradient_reducer.hpp"
#include "cluster/nccl_gradient_reducer.hpp"

namespace {

using namespace star;

struct Gradient {
  std::vector<int64_t> shape;
  torch::ScalarType dtype = torch::kFloat32;
  bool transposed = false;  // a 2-D gradient as the transpose of a contiguous one
};

// Rank r's values: (i % 7) / 2 + 8 r, so that every sum over a few ranks is exact in bf16 too.
torch::Tensor rank_values(const Gradient& g, int rank, torch::Device device) {
  auto shape = g.shape;
  if (g.transposed) std::swap(shape[0], shape[1]);
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  auto values = (torch::fmod(torch::arange(n, torch::kFloat64), 7) / 2 + 8 * rank).view(shape);
  if (g.transposed) values = values.t();
  return values.to(device, g.dtype);
}

// Fills each gradient with this rank's values, sums them, and compares with the sum over every
// rank's values (computed here in double).
void expect_exact_sums(train::GradientReducer& reducer, const std::vector<Gradient>& specs, torch::Device device) {
  std::vector<torch::Tensor> grads;
  for (const auto& g : specs) grads.push_back(rank_values(g, reducer.rank(), device));
  reducer.sum(grads);
  for (size_t i = 0; i < specs.size(); ++i) {
    auto expected = rank_values(specs[i], 0, torch::kCPU).to(torch::kFloat64);
    for (int r = 1; r < reducer.size(); ++r) expected = expected + rank_values(specs[i], r, torch::kCPU);
    EXPECT_EQ(grads[i].scalar_type(), specs[i].dtype);
    EXPECT_TRUE(torch::equal(grads[i].cpu(), expected.to(specs[i].dtype))) << "gradient " << i;
  }
}

const std::vector<Gradient> kMixed = {{{3, 5}},
                                      {{17}, torch::kBFloat16},
                                      {{2, 3, 4}},
                                      {{6, 2}, torch::kFloat32, true},
                                      {{0}},
                                      {{1}, torch::kBFloat16}};
const std::vector<Gradient> kLarger = {{{64, 33}}, {{1000}, torch::kBFloat16}};

// One GPU per rank (cuda:<rank>), or the test is skipped on every rank alike.
class NcclReducer : public ::testing::Test {
 protected:
  void SetUp() override {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    const int gpus = static_cast<int>(torch::cuda::device_count());
    if (gpus < size_) GTEST_SKIP() << size_ << " ranks need as many GPUs; this node has " << gpus;
    device_ = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(rank_));
  }
  int rank_ = 0, size_ = 1;
  torch::Device device_ = torch::kCPU;
};

TEST_F(NcclReducer, SumsMixedGradientsExactly) {
  cluster::NcclGradientReducer reducer(MPI_COMM_WORLD, device_);
  EXPECT_EQ(reducer.rank(), rank_);
  EXPECT_EQ(reducer.size(), size_);
  expect_exact_sums(reducer, kMixed, device_);
}

TEST_F(NcclReducer, StaysExactWhenTheSizesChangeBetweenCalls) {
  cluster::NcclGradientReducer reducer(MPI_COMM_WORLD, device_);
  expect_exact_sums(reducer, kMixed, device_);
  expect_exact_sums(reducer, kMixed, device_);  // the same buffer again
  expect_exact_sums(reducer, kLarger, device_);
  expect_exact_sums(reducer, kMixed, device_);
}

TEST_F(NcclReducer, SumsOnTorchsCurrentStream) {
  cluster::NcclGradientReducer reducer(MPI_COMM_WORLD, device_);
  expect_exact_sums(reducer, kMixed, device_);
  {
    c10::cuda::CUDAStreamGuard side(c10::cuda::getStreamFromPool(false, device_.index()));
    expect_exact_sums(reducer, kMixed, device_);
    expect_exact_sums(reducer, kLarger, device_);
  }
  expect_exact_sums(reducer, kMixed, device_);
}

// The trainer captures a group's step, NCCL's all-reduce included, as one CUDA graph: each replay
// sums what the gradients hold then. Two replays with other values in between.
TEST_F(NcclReducer, SumIsCapturedInACudaGraph) {
  cluster::NcclGradientReducer reducer(MPI_COMM_WORLD, device_);
  ASSERT_TRUE(reducer.sums_in_graph());
  c10::cuda::CUDAStreamGuard side(c10::cuda::getStreamFromPool(false, device_.index()));
  expect_exact_sums(reducer, kLarger, device_);  // an eager sum first: the buffer, on this stream
  std::vector<torch::Tensor> grads;
  for (const auto& g : kLarger) grads.push_back(rank_values(g, reducer.rank(), device_));
  at::cuda::CUDAGraph graph;
  graph.capture_begin();
  reducer.sum(grads);
  graph.capture_end();
  for (int replay = 0; replay < 2; ++replay) {
    for (size_t i = 0; i < kLarger.size(); ++i)
      grads[i].copy_(rank_values(kLarger[i], reducer.rank(), device_) * (replay + 1));
    graph.replay();
    for (size_t i = 0; i < kLarger.size(); ++i) {
      auto expected = rank_values(kLarger[i], 0, torch::kCPU).to(torch::kFloat64);
      for (int r = 1; r < reducer.size(); ++r) expected = expected + rank_values(kLarger[i], r, torch::kCPU);
      expected = expected * (replay + 1);
      EXPECT_TRUE(torch::equal(grads[i].cpu(), expected.to(kLarger[i].dtype))) << "replay " << replay << ", gradient " << i;
    }
  }
}

TEST_F(NcclReducer, SumsHostValuesOverTheGroup) {
  cluster::NcclGradientReducer reducer(MPI_COMM_WORLD, device_);
  EXPECT_EQ(reducer.sum(rank_ + 0.25), size_ * (size_ - 1) / 2.0 + 0.25 * size_);
}

TEST_F(NcclReducer, FactoryGivesNcclToAGroupOfGpus) {
  const auto reducer = cluster::make_gradient_reducer(MPI_COMM_WORLD, size_, device_);
  if (size_ == 1) {
    EXPECT_EQ(reducer, nullptr);
    return;
  }
  ASSERT_NE(dynamic_cast<cluster::NcclGradientReducer*>(reducer.get()), nullptr);
  expect_exact_sums(*reducer, kMixed, device_);
}

// NCCL refuses one GPU twice in a communicator: ranks that share cuda:0 sum through MPI.
TEST(NcclReducerFallback, RanksSharingAGpuGetTheMpiReducer) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size < 2 || torch::cuda::device_count() < 1) GTEST_SKIP() << "needs 2 ranks and a GPU";
  const torch::Device gpu0(torch::kCUDA, 0);
  const auto reducer = cluster::make_gradient_reducer(MPI_COMM_WORLD, size, gpu0);
  ASSERT_NE(dynamic_cast<cluster::MpiGradientReducer*>(reducer.get()), nullptr);
  expect_exact_sums(*reducer, kMixed, gpu0);
}

TEST(NcclReducerFallback, RefusesADeviceThatIsNotAGpu) {
  EXPECT_THROW({ cluster::NcclGradientReducer reducer(MPI_COMM_WORLD, torch::kCPU); }, std::invalid_argument);
}

}  // namespace
