#pragma once
// Internal to kernels/: turns a run-time size into a compile-time one, so a kernel can keep
// arrays of that size in registers (taps of the convolution, steps a thread holds, loads issued
// together). Host-side only.
#include <cstdint>
#include <type_traits>

namespace star::kernels::impl {

// Calls body(std::integral_constant<int, K>()) for the K among kValues that equals `value`;
// false (body not called) when none does.
template <int... kValues, class Body>
bool with_constant(int64_t value, Body&& body) {
  return ((value == kValues ? (body(std::integral_constant<int, kValues>()), true) : false) || ...);
}

}  // namespace star::kernels::impl
