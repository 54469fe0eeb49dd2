#include "bench/idle_gaps.hpp"

#include <gtest/gtest.h>

namespace star::bench {
namespace {

TEST(IdleGaps, SumsTheWaitsBetweenActivitiesByTheirPair) {
  // a 0-10, gap 5, b 15-20, gap 2, a 22-30, gap 5, b 35-40 (given out of order); c overlaps b's
  // second run and ends after it, so the gap before the last a starts at c's end.
  const auto gaps = idle_gaps({{{35, 40}, "b"}, {{0, 10}, "a"}, {{15, 20}, "b"}, {{22, 30}, "a"},
                               {{38, 45}, "c"}, {{46, 50}, "a"}});
  ASSERT_EQ(gaps.size(), 3u);
  EXPECT_EQ(gaps[0].before, "a");
  EXPECT_EQ(gaps[0].after, "b");
  EXPECT_EQ(gaps[0].total_ns, 10);
  EXPECT_EQ(gaps[0].count, 2);
  EXPECT_EQ(gaps[1].before, "b");
  EXPECT_EQ(gaps[1].after, "a");
  EXPECT_EQ(gaps[1].total_ns, 2);
  EXPECT_EQ(gaps[2].before, "c");
  EXPECT_EQ(gaps[2].after, "a");
  EXPECT_EQ(gaps[2].total_ns, 1);
}

TEST(IdleGaps, NestedAndTouchingActivitiesLeaveNoGap) {
  EXPECT_TRUE(idle_gaps({{{0, 100}, "long"}, {{10, 20}, "inside"}, {{100, 120}, "touching"}}).empty());
  EXPECT_TRUE(idle_gaps({}).empty());
  EXPECT_TRUE(idle_gaps({{{0, 1}, "one"}}).empty());
}

TEST(IdleGaps, KokkosKernelNamesBecomeTheirFileAndFunction) {
  const std::string kokkos =
      "void Kokkos::Impl::cuda_parallel_launch_local_memory<Kokkos::Impl::ParallelFor<_INTERNAL_d4d89f59_16_"
      "add_rms_norm_cpp_f88dab08::star::kernels::(anonymous namespace)::forward_rows<2, Kokkos::Cuda, "
      "star::kernels::Bf16>(Kokkos::Cuda const&)::{lambda(Kokkos::Impl::CudaTeamMember const&)#1}, "
      "Kokkos::TeamPolicy<Kokkos::Cuda>, Kokkos::Cuda> >(Kokkos::Impl::ParallelFor<...>)";
  EXPECT_EQ(short_kernel_name(kokkos), "add_rms_norm.cpp forward_rows");
  EXPECT_EQ(short_kernel_name("nvjet_sm90_tst_192x192_64x3_2x1_v_bz_coopB_NNN"), "nvjet_sm90_tst_192x192_64x3_2x1_v_bz_coopB_NNN");
  EXPECT_EQ(short_kernel_name("abcdef", 3), "abc");
  EXPECT_EQ(short_kernel_name("x _INTERNAL_ but nothing after", 8), "x _INTER");
}

}  // namespace
}  // namespace star::bench
