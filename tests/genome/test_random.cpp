// The random generator helpers, and saving and restoring its state as checkpoints do.
#include <gtest/gtest.h>

#include <cstdint>

#include "genome/random.hpp"

namespace {

using namespace star::genome;

TEST(Random, SavedStateContinuesTheSameDraws) {
  Rng rng(77);
  for (int i = 0; i < 10; ++i) rng();
  const auto state = rng_state(rng);
  std::vector<uint64_t> expected;
  for (int i = 0; i < 5; ++i) expected.push_back(rng());
  Rng restored;
  restore_rng_state(restored, state);
  for (auto v : expected) EXPECT_EQ(restored(), v);
}

TEST(Random, MalformedStatesAreRefused) {
  Rng rng(5);
  const auto state = rng_state(rng);
  Rng target(9);
  const auto untouched = rng_state(target);
  EXPECT_THROW(restore_rng_state(target, "garbage"), std::invalid_argument);
  EXPECT_THROW(restore_rng_state(target, ""), std::invalid_argument);
  EXPECT_THROW(restore_rng_state(target, state.substr(0, state.size() / 2)), std::invalid_argument);  // truncated
  EXPECT_THROW(restore_rng_state(target, state + " 17"), std::invalid_argument);                     // trailing junk
  EXPECT_EQ(rng_state(target), untouched) << "a refused state must leave the generator as it was";
  EXPECT_NO_THROW(restore_rng_state(target, state + "\n"));
  EXPECT_EQ(rng_state(target), state);
}

TEST(Random, UniformRanges) {
  Rng rng(3);
  std::vector<int> seen(5, 0);
  for (int i = 0; i < 5000; ++i) {
    const int v = uniform_int(rng, 2, 6);
    ASSERT_GE(v, 2);
    ASSERT_LE(v, 6);
    ++seen[v - 2];
    const double x = uniform_real(rng);
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
  }
  for (int count : seen) EXPECT_GT(count, 800);  // 1000 expected each
  EXPECT_EQ(uniform_int(rng, 4, 4), 4);
}

}  // namespace
