#pragma once
// Internal to kernels/: reading and writing the element types of activations (fp32, bf16) with
// fp32 arithmetic. Device-callable.
#include <Kokkos_Core.hpp>

#include <cstring>

#include "../bf16.hpp"

namespace star::kernels::impl {

KOKKOS_INLINE_FUNCTION float to_float(float v) { return v; }

KOKKOS_INLINE_FUNCTION float to_float(Bf16 v) {
  const uint32_t bits = static_cast<uint32_t>(v.bits) << 16;
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

template <class T>
KOKKOS_INLINE_FUNCTION T from_float(float f);

template <>
KOKKOS_INLINE_FUNCTION float from_float<float>(float f) {
  return f;
}

// Round to nearest even, NaN kept quiet: the rounding torch's at::BFloat16 does.
template <>
KOKKOS_INLINE_FUNCTION Bf16 from_float<Bf16>(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return Bf16{static_cast<uint16_t>((bits >> 16) | 0x40u)};
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return Bf16{static_cast<uint16_t>(bits >> 16)};
}

}  // namespace star::kernels::impl
