// GoogleTest main for tests that run Kokkos kernels: Kokkos is started once for the process.
#include <gtest/gtest.h>

#include "kernels/launch.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  star::kernels::initialize(0);
  const int status = RUN_ALL_TESTS();
  star::kernels::finalize();
  return status;
}
