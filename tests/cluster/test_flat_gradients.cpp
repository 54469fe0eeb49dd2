// The flat gradient buffer (no MPI): gradients of several shapes, dtypes and strides go in, in
// order, as fp32 and come back in their own dtype; the buffer is kept while the total size stays.
#include <gtest/gtest.h>

#include "cluster/flat_gradients.hpp"

namespace {

using star::cluster::FlatGradients;

std::vector<torch::Tensor> mixed_gradients() {
  return {torch::arange(6, torch::kFloat32).view({2, 3}),
          torch::arange(4, torch::kFloat32).to(torch::kBFloat16) + 0.5,
          torch::arange(6, torch::kFloat64).view({3, 2}).t(),  // [2, 3], not contiguous
          torch::zeros({0}, torch::kFloat32)};
}

TEST(FlatGradients, PacksInOrderAsFp32AndUnpacksIntoEachDtype) {
  auto grads = mixed_gradients();
  FlatGradients flat(torch::kCPU);
  auto& buffer = flat.pack(grads);
  ASSERT_EQ(buffer.scalar_type(), torch::kFloat32);
  const std::vector<float> expected = {0, 1, 2, 3, 4, 5, 0.5, 1.5, 2.5, 3.5, 0, 2, 4, 1, 3, 5};
  ASSERT_EQ(buffer.numel(), static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(buffer[i].item<float>(), expected[i]) << "element " << i;

  buffer.mul_(2);  // what a sum over two equal ranks would give
  flat.unpack(grads);
  const auto before = mixed_gradients();
  for (size_t i = 0; i < grads.size(); ++i) {
    EXPECT_EQ(grads[i].scalar_type(), before[i].scalar_type());
    EXPECT_EQ(grads[i].strides(), before[i].strides());
    EXPECT_TRUE(torch::equal(grads[i], before[i] * 2)) << "gradient " << i;
  }
}

TEST(FlatGradients, KeepsItsBufferWhileTheTotalSizeStays) {
  FlatGradients flat(torch::kCPU);
  const void* first = flat.pack({torch::ones({2, 3}), torch::ones({4})}).data_ptr();
  EXPECT_EQ(flat.pack({torch::ones({10})}).data_ptr(), first);
  EXPECT_EQ(flat.pack({torch::ones({3}), torch::ones({5})}).numel(), 8);
  flat.release();
  EXPECT_EQ(flat.pack({}).numel(), 0);
}

}  // namespace
