#pragma once
// Internal to kernels/: reading and writing the element types of activations (fp32, bf16) with
// fp32 arithmetic. Device-callable.
#include <Kokkos_Core.hpp>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <type_traits>

#include "../bf16.hpp"

#if defined(__CUDACC__)
#include <cuda_bf16.h>  // the hardware's fp32 -> bf16 conversion (sm_80 on), as torch uses on CUDA
#endif

// Fixed-trip loops over registers (channels per thread, taps, steps held) must unroll, or the
// arrays they index go to local memory; nvcc's heuristics give up on the longer bf16 bodies, so
// the kernels ask. Host compilers unroll (or not) on their own.
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)  // the device pass only: the host compiler would warn
#define STAR_UNROLL _Pragma("unroll")
#else
#define STAR_UNROLL
#endif

namespace star::kernels::impl {

KOKKOS_INLINE_FUNCTION float to_float(float v) { return v; }

// Bit casts. On the device the intrinsics: nvcc may turn a memcpy into byte copies through
// local memory.
KOKKOS_INLINE_FUNCTION float float_from_bits(uint32_t bits) {
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
  return __uint_as_float(bits);
#else
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
#endif
}

KOKKOS_INLINE_FUNCTION uint32_t bits_of(float f) {
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
  return __float_as_uint(f);
#else
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits;
#endif
}

KOKKOS_INLINE_FUNCTION float to_float(Bf16 v) { return float_from_bits(static_cast<uint32_t>(v.bits) << 16); }

template <class T>
KOKKOS_INLINE_FUNCTION T from_float(float f);

template <>
KOKKOS_INLINE_FUNCTION float from_float<float>(float f) {
  return f;
}

// Round to nearest even, NaN kept quiet: the rounding torch's at::BFloat16 does. On an NVIDIA
// GPU one conversion instruction, as torch's CUDA code does it (a NaN comes out as the
// canonical one there, as in torch on the GPU).
template <>
KOKKOS_INLINE_FUNCTION Bf16 from_float<Bf16>(float f) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  return Bf16{__bfloat16_as_ushort(__float2bfloat16_rn(f))};
#else
  uint32_t bits = bits_of(f);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return Bf16{static_cast<uint16_t>((bits >> 16) | 0x40u)};
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return Bf16{static_cast<uint16_t>(bits >> 16)};
#endif
}

// V neighbouring elements as loaded, not yet widened to fp32: a bf16 pair stays one 32-bit word,
// so values a thread holds across a wait (the scan's prefetched steps) take half the registers.
// Zero-initialised ({}) it is V zeros in either type.
template <class T, int V>
struct Packed {
  T v[V];
};
template <>
struct Packed<Bf16, 2> {
  uint32_t bits;
};

template <int V, class T>
KOKKOS_INLINE_FUNCTION void load_packed(const T* p, Packed<T, V>& r) {
  STAR_UNROLL for (int v = 0; v < V; ++v) r.v[v] = p[v];
}

template <>
KOKKOS_INLINE_FUNCTION void load_packed<2, Bf16>(const Bf16* p, Packed<Bf16, 2>& r) {
  r.bits = *reinterpret_cast<const uint32_t*>(p);  // little-endian: p[0] in the low half
}

template <int V, class T>
KOKKOS_INLINE_FUNCTION void unpack(const Packed<T, V>& r, float (&out)[V]) {
  STAR_UNROLL for (int v = 0; v < V; ++v) out[v] = to_float(r.v[v]);
}

template <>
KOKKOS_INLINE_FUNCTION void unpack<2, Bf16>(const Packed<Bf16, 2>& r, float (&out)[2]) {
  out[0] = to_float(Bf16{static_cast<uint16_t>(r.bits & 0xffffu)});
  out[1] = to_float(Bf16{static_cast<uint16_t>(r.bits >> 16)});
}

// V neighbouring elements at once, widened to fp32: for bf16 pairs, one 32-bit access (a warp
// then moves 128 bytes per access, as with fp32, instead of 64). The pointer must be aligned to
// V elements.
template <int V, class T>
KOKKOS_INLINE_FUNCTION void load(const T* p, float (&out)[V]) {
  Packed<T, V> word;
  load_packed<V>(p, word);
  unpack<V>(word, out);
}

template <int V, class T>
KOKKOS_INLINE_FUNCTION void store(T* p, const float (&in)[V]) {
  STAR_UNROLL for (int v = 0; v < V; ++v) p[v] = from_float<T>(in[v]);
}

template <>
KOKKOS_INLINE_FUNCTION void store<2, Bf16>(Bf16* p, const float (&in)[2]) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  *reinterpret_cast<__nv_bfloat162*>(p) = __floats2bfloat162_rn(in[0], in[1]);  // both in one instruction
#else
  const uint32_t pair = static_cast<uint32_t>(from_float<Bf16>(in[0]).bits) |
                        (static_cast<uint32_t>(from_float<Bf16>(in[1]).bits) << 16);
  *reinterpret_cast<uint32_t*>(p) = pair;
#endif
}

// Wide accesses: 8 or 16 bytes at once (4 or 8 bf16, 4 fp32), one 64- or 128-bit load or store
// where a bf16 pair is one 32-bit one. A warp then keeps 2 to 4 times the bytes in flight per
// access, which is what a sweep over long rows (logits, hidden activations) needs to reach the
// memory's bandwidth. The pointer must be aligned to the access (see aligned_to).

// Elements per 16-byte access: 8 bf16, 4 fp32.
template <class Elem>
constexpr int kWide = 16 / static_cast<int>(sizeof(Elem));

template <int Bytes>
struct alignas(Bytes) Words {
  uint32_t w[Bytes / 4];
};

// bf16 pair word -> two floats, low half first (little-endian: the lower address).
KOKKOS_INLINE_FUNCTION void unpack_pair(uint32_t bits, float& lo, float& hi) {
  lo = float_from_bits(bits << 16);
  hi = float_from_bits(bits & 0xffff0000u);
}

KOKKOS_INLINE_FUNCTION uint32_t pack_pair(float lo, float hi) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  const __nv_bfloat162 pair = __floats2bfloat162_rn(lo, hi);
  return *reinterpret_cast<const uint32_t*>(&pair);
#else
  return static_cast<uint32_t>(from_float<Bf16>(lo).bits) | (static_cast<uint32_t>(from_float<Bf16>(hi).bits) << 16);
#endif
}

template <int V>
KOKKOS_INLINE_FUNCTION void load_wide_bf16(const Bf16* p, float (&out)[V]) {
  const Words<V * 2> words = *reinterpret_cast<const Words<V * 2>*>(p);
  STAR_UNROLL for (int k = 0; k < V / 2; ++k) unpack_pair(words.w[k], out[2 * k], out[2 * k + 1]);
}
template <int V>
KOKKOS_INLINE_FUNCTION void store_wide_bf16(Bf16* p, const float (&in)[V]) {
  Words<V * 2> words;
  STAR_UNROLL for (int k = 0; k < V / 2; ++k) words.w[k] = pack_pair(in[2 * k], in[2 * k + 1]);
  *reinterpret_cast<Words<V * 2>*>(p) = words;
}
template <int V>
KOKKOS_INLINE_FUNCTION void load_wide_f32(const float* p, float (&out)[V]) {
  const Words<V * 4> words = *reinterpret_cast<const Words<V * 4>*>(p);
  STAR_UNROLL for (int k = 0; k < V; ++k) out[k] = float_from_bits(words.w[k]);
}
template <int V>
KOKKOS_INLINE_FUNCTION void store_wide_f32(float* p, const float (&in)[V]) {
  Words<V * 4> words;
  STAR_UNROLL for (int k = 0; k < V; ++k) words.w[k] = bits_of(in[k]);
  *reinterpret_cast<Words<V * 4>*>(p) = words;
}

template <>
KOKKOS_INLINE_FUNCTION void load<4, Bf16>(const Bf16* p, float (&out)[4]) {
  load_wide_bf16<4>(p, out);
}
template <>
KOKKOS_INLINE_FUNCTION void load<8, Bf16>(const Bf16* p, float (&out)[8]) {
  load_wide_bf16<8>(p, out);
}
template <>
KOKKOS_INLINE_FUNCTION void store<4, Bf16>(Bf16* p, const float (&in)[4]) {
  store_wide_bf16<4>(p, in);
}
template <>
KOKKOS_INLINE_FUNCTION void store<8, Bf16>(Bf16* p, const float (&in)[8]) {
  store_wide_bf16<8>(p, in);
}
template <>
KOKKOS_INLINE_FUNCTION void load<4, float>(const float* p, float (&out)[4]) {
  load_wide_f32<4>(p, out);
}
template <>
KOKKOS_INLINE_FUNCTION void store<4, float>(float* p, const float (&in)[4]) {
  store_wide_f32<4>(p, in);
}

// Whether rows of `channels` elements can go `width` elements per access (impl::load<width>):
// width divides the channels and every array is aligned to width elements (torch's allocations
// are; a view at an offset may not be). Null pointers (arrays a pass does not use) count as
// aligned.
template <class Elem>
bool aligned_to(int64_t width, int64_t channels, std::initializer_list<const void*> arrays) {
  if (channels % width != 0) return false;
  for (const void* p : arrays)
    if (reinterpret_cast<std::uintptr_t>(p) % (width * sizeof(Elem)) != 0) return false;
  return true;
}

// Whether activations of type Elem can go two channels per thread (impl::load<2>): bf16 only,
// an even channel count, and every array aligned to a pair (torch's allocations are; a view at
// an odd offset may not be). Null pointers (arrays a pass does not use) count as aligned.
template <class Elem>
bool pairs_channels(int64_t channels, std::initializer_list<const void*> arrays) {
  if constexpr (!std::is_same<Elem, Bf16>::value) {
    return false;
  } else {
    if (channels % 2 != 0) return false;
    for (const void* p : arrays)
      if (reinterpret_cast<std::uintptr_t>(p) % (2 * sizeof(Elem)) != 0) return false;
    return true;
  }
}

}  // namespace star::kernels::impl
