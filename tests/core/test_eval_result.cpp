// The plain value types of src/core, built and linked with star_core alone (no torch, MPI, HDF5).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/eval_result.hpp"
#include "core/model_config.hpp"

namespace star {
namespace {

TEST(EvalStatusNames, EveryStatusReadsBackFromItsName) {
  using train::EvalStatus;
  for (auto status : {EvalStatus::ok, EvalStatus::diverged, EvalStatus::oom, EvalStatus::failed, EvalStatus::timeout,
                      EvalStatus::interrupted})
    EXPECT_EQ(train::eval_status_from_string(train::to_string(status)), status);
  EXPECT_STREQ(train::to_string(EvalStatus::oom), "oom");  // the names are in files: they never change
  EXPECT_THROW(train::eval_status_from_string("OK"), std::invalid_argument);
}

TEST(KernelBackendNames, ReadBackAndRejectOthers) {
  for (auto backend : {model::KernelBackend::kokkos, model::KernelBackend::torch})
    EXPECT_EQ(model::kernel_backend_from_string(model::to_string(backend)), backend);
  EXPECT_THROW(model::kernel_backend_from_string("cuda"), std::invalid_argument);
}

TEST(EvalResult, OnlyOkIsFeasible) {
  train::EvalResult result;
  EXPECT_FALSE(result.feasible());  // a default record is a failure
  result.status = train::EvalStatus::ok;
  EXPECT_TRUE(result.feasible());
}

}  // namespace
}  // namespace star
