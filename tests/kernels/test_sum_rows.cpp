// The partial-row sum the backward passes finish their parameter gradients with, against torch's
// sum(0) in double precision, on awkward shapes (no rows, one row, fewer rows than a team has
// slices, widths that do not fill a team), bit for bit the same from run to run, and refusing
// negative sizes; on the GPU too when the build and the machine have one.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "kernels/launch.hpp"
#include "kernels/sum_rows.hpp"

namespace {

torch::Tensor sum_rows(const torch::Tensor& partial) {
  auto out = torch::full({partial.size(1)}, 7.0f, partial.options());  // overwritten, even with no rows
  const star::kernels::Launch launch{partial.is_cuda(), nullptr};
  star::kernels::sum_rows(launch, partial.size(0), partial.size(1), partial.data_ptr<float>(), out.data_ptr<float>());
  return out;
}

void expect_column_sums(torch::Device device) {
  torch::manual_seed(3);
  for (const auto& [rows, width] : {std::pair<int64_t, int64_t>{0, 5}, {1, 1}, {3, 33}, {9, 31}, {256, 3072}, {1000, 70}}) {
    SCOPED_TRACE("rows " + std::to_string(rows) + ", width " + std::to_string(width));
    auto partial = torch::randn({rows, width}, torch::TensorOptions().device(device));
    const auto out = sum_rows(partial);
    const auto want = partial.to(torch::kCPU, torch::kFloat64).sum(0);
    EXPECT_TRUE(torch::allclose(out.to(torch::kCPU, torch::kFloat64), want, 1e-5, 1e-5 * std::sqrt(double(rows + 1))));
    EXPECT_TRUE(torch::equal(out, sum_rows(partial)));  // the same order every time
  }
}

TEST(SumRows, AddsEveryRowOnHost) { expect_column_sums(torch::kCPU); }

TEST(SumRows, AddsEveryRowOnGpu) {
  if (!star::kernels::gpu_backend_available() || !torch::cuda::is_available()) GTEST_SKIP() << "no GPU backend or GPU";
  expect_column_sums(torch::Device(torch::kCUDA, 0));
}

TEST(SumRows, RejectsNegativeSizes) {
  float x = 0;
  EXPECT_THROW(star::kernels::sum_rows({false, nullptr}, -1, 1, &x, &x), std::invalid_argument);
  EXPECT_THROW(star::kernels::sum_rows({false, nullptr}, 1, -1, &x, &x), std::invalid_argument);
}

}  // namespace
