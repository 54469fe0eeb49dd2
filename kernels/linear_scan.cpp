// Kokkos implementation of the linear recurrence; see linear_scan.hpp for the definition and
// layouts. A chunked "reduce, carry, scan" in three passes, each a flat parallel loop with
// channels fastest (neighbouring GPU threads touch neighbouring channels: coalesced):
//   1. reduce: each (b, chunk, c) folds its chunk from a zero state into (product of a, state);
//   2. carry:  each (b, c) walks the chunks in order: the state entering each chunk;
//   3. scan:   each (b, chunk, c) runs its chunk again from the state entering it, writing h.
// a and x are read twice and h written once; the carry pass touches only B x chunks x C values.
// The backward pass is the same scan run backwards in time on (a shifted by one step, dh); its
// third pass also writes da and dh0, so g never makes a round trip through memory.
#include "linear_scan.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "impl/element.hpp"
#include "impl/execution.hpp"

namespace star::kernels {
namespace {

void check_shape(const ScanShape& s) {
  if (s.batch < 0 || s.length < 0 || s.channels < 0 || s.chunk < 0)
    throw std::invalid_argument("linear_scan: bad shape B=" + std::to_string(s.batch) + " T=" +
                                std::to_string(s.length) + " C=" + std::to_string(s.channels) +
                                " chunk=" + std::to_string(s.chunk));
}

// Enough chunks that the first and last passes have ~64k independent sequences to run (a GPU
// needs tens of thousands of threads in flight), but never chunks shorter than 16 steps.
int64_t chunk_length(const ScanShape& s) {
  if (s.chunk > 0) return s.chunk;
  const int64_t sequences = std::max<int64_t>(1, s.batch * s.channels);
  const int64_t chunks = std::max<int64_t>(1, (int64_t{1} << 16) / sequences);
  return std::max<int64_t>(16, (s.length + chunks - 1) / chunks);
}

int64_t chunk_count(const ScanShape& s) {
  const int64_t L = chunk_length(s);
  return std::max<int64_t>(1, (s.length + L - 1) / L);
}

// The recurrence in scan order p = 0 .. T-1: state = coef(p) * state + in(p), written to out.
// Forward: time t = p, coef = a[t], in = x[t]. Reverse: t = T-1-p, coef = a[t + 1] (0 past the
// end), in = dh[t]; this gives g[t] = dh[t] + a[t + 1] g[t + 1], and then da[t] = g[t] h[t - 1].
template <class Exec, class Elem>
struct Scan {
  impl::View3<Exec, const Elem> a, in;
  impl::View3<Exec, Elem> out;
  impl::View3<Exec, float> prod, carry;  // [B, chunks, C] scratch
  impl::View2<Exec, const float> h0;     // [B, C] or empty
  // Reverse only: the forward's h, and where da and dh0 go.
  impl::View3<Exec, const Elem> h;
  impl::View3<Exec, Elem> da;
  impl::View2<Exec, float> dh0;  // [B, C] or empty
  int64_t T = 0, C = 0, L = 1, chunks = 1;
  bool reverse = false, has_h0 = false, has_dh0 = false;

  KOKKOS_INLINE_FUNCTION int64_t time(int64_t p) const { return reverse ? T - 1 - p : p; }
  KOKKOS_INLINE_FUNCTION float coef(int64_t b, int64_t p, int64_t c) const {
    if (!reverse) return impl::to_float(a(b, p, c));
    const int64_t t = T - 1 - p;
    return t + 1 < T ? impl::to_float(a(b, t + 1, c)) : 0.0f;
  }
  KOKKOS_INLINE_FUNCTION float initial(int64_t b, int64_t c) const {
    return has_h0 && !reverse ? h0(b, c) : 0.0f;
  }
  // Reverse: what the state g at time t gives the coefficient gradients.
  KOKKOS_INLINE_FUNCTION void coefficient_gradients(int64_t b, int64_t t, int64_t c, float g) const {
    const float previous = t > 0 ? impl::to_float(h(b, t - 1, c)) : (has_h0 ? h0(b, c) : 0.0f);
    da(b, t, c) = impl::from_float<Elem>(g * previous);
    if (t == 0 && has_dh0) dh0(b, c) = impl::to_float(a(b, 0, c)) * g;
  }
};

template <class Exec, class Elem>
void run_scan(const Exec& exec, const Scan<Exec, Elem>& scan, int64_t B) {
  using Policy = Kokkos::RangePolicy<Exec, Kokkos::IndexType<int64_t>>;
  const int64_t C = scan.C, chunks = scan.chunks, L = scan.L, T = scan.T;
  Kokkos::parallel_for(
      "star::linear_scan_reduce", Policy(exec, 0, B * chunks * C), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, k = (i / C) % chunks, b = i / (C * chunks);
        const int64_t end = k * L + L < T ? k * L + L : T;
        float product = 1.0f, state = 0.0f;
        for (int64_t p = k * L; p < end; ++p) {
          const float coef = scan.coef(b, p, c);
          state = coef * state + impl::to_float(scan.in(b, scan.time(p), c));
          product *= coef;
        }
        scan.prod(b, k, c) = product;
        scan.carry(b, k, c) = state;
      });
  Kokkos::parallel_for(
      "star::linear_scan_carry", Policy(exec, 0, B * C), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, b = i / C;
        float state = scan.initial(b, c);
        for (int64_t k = 0; k < chunks; ++k) {
          const float chunk_state = scan.carry(b, k, c);
          scan.carry(b, k, c) = state;  // now: the state entering chunk k
          state = scan.prod(b, k, c) * state + chunk_state;
        }
      });
  Kokkos::parallel_for(
      "star::linear_scan_scan", Policy(exec, 0, B * chunks * C), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, k = (i / C) % chunks, b = i / (C * chunks);
        const int64_t end = k * L + L < T ? k * L + L : T;
        float state = scan.carry(b, k, c);
        for (int64_t p = k * L; p < end; ++p) {
          const int64_t t = scan.time(p);
          state = scan.coef(b, p, c) * state + impl::to_float(scan.in(b, t, c));
          scan.out(b, t, c) = impl::from_float<Elem>(state);
          if (scan.reverse) scan.coefficient_gradients(b, t, c, state);
        }
      });
}

template <class Exec, class Elem>
Scan<Exec, Elem> make_scan(const ScanShape& shape, const Elem* a, const Elem* in, Elem* out, const float* h0,
                           float* workspace) {
  const int64_t B = shape.batch, T = shape.length, C = shape.channels, chunks = chunk_count(shape);
  Scan<Exec, Elem> s;
  s.a = impl::View3<Exec, const Elem>(a, B, T, C);
  s.in = impl::View3<Exec, const Elem>(in, B, T, C);
  s.out = impl::View3<Exec, Elem>(out, B, T, C);
  s.prod = impl::View3<Exec, float>(workspace, B, chunks, C);
  s.carry = impl::View3<Exec, float>(workspace + B * chunks * C, B, chunks, C);
  s.has_h0 = h0 != nullptr;
  s.h0 = impl::View2<Exec, const float>(h0, h0 ? B : 0, h0 ? C : 0);
  s.T = T;
  s.C = C;
  s.L = chunk_length(shape);
  s.chunks = chunks;
  return s;
}

template <class Elem>
void forward(const Launch& launch, const ScanShape& shape, const Elem* a, const Elem* x, const float* h0, Elem* h,
             float* workspace) {
  check_shape(shape);
  if (shape.batch * shape.length * shape.channels == 0) return;
  impl::dispatch(launch, [&](const auto& exec) {
    using Exec = std::decay_t<decltype(exec)>;
    run_scan(exec, make_scan<Exec, Elem>(shape, a, x, h, h0, workspace), shape.batch);
  });
}

template <class Elem>
void backward(const Launch& launch, const ScanShape& shape, const Elem* a, const Elem* h, const float* h0,
              const Elem* dh, Elem* dx, Elem* da, float* dh0, float* workspace) {
  check_shape(shape);
  if (shape.batch * shape.channels == 0) return;
  impl::dispatch(launch, [&](const auto& exec) {
    using Exec = std::decay_t<decltype(exec)>;
    if (shape.length == 0) {  // nothing flowed back to the initial state
      if (h0 && dh0) Kokkos::deep_copy(exec, impl::View2<Exec, float>(dh0, shape.batch, shape.channels), 0.0f);
      return;
    }
    auto scan = make_scan<Exec, Elem>(shape, a, dh, dx, h0, workspace);  // dx = g
    scan.reverse = true;
    scan.h = impl::View3<Exec, const Elem>(h, shape.batch, shape.length, shape.channels);
    scan.da = impl::View3<Exec, Elem>(da, shape.batch, shape.length, shape.channels);
    scan.has_dh0 = h0 && dh0;
    scan.dh0 = impl::View2<Exec, float>(dh0, scan.has_dh0 ? shape.batch : 0, scan.has_dh0 ? shape.channels : 0);
    run_scan(exec, scan, shape.batch);
  });
}

}  // namespace

int64_t linear_scan_workspace_floats(const ScanShape& shape) {
  check_shape(shape);
  return 2 * shape.batch * chunk_count(shape) * shape.channels;
}

void linear_scan_forward(const Launch& launch, const ScanShape& shape, const float* a, const float* x,
                         const float* h0, float* h, float* workspace) {
  forward(launch, shape, a, x, h0, h, workspace);
}
void linear_scan_forward(const Launch& launch, const ScanShape& shape, const Bf16* a, const Bf16* x,
                         const float* h0, Bf16* h, float* workspace) {
  forward(launch, shape, a, x, h0, h, workspace);
}

void linear_scan_backward(const Launch& launch, const ScanShape& shape, const float* a, const float* h,
                          const float* h0, const float* dh, float* dx, float* da, float* dh0, float* workspace) {
  backward(launch, shape, a, h, h0, dh, dx, da, dh0, workspace);
}
void linear_scan_backward(const Launch& launch, const ScanShape& shape, const Bf16* a, const Bf16* h,
                          const float* h0, const Bf16* dh, Bf16* dx, Bf16* da, float* dh0, float* workspace) {
  backward(launch, shape, a, h, h0, dh, dx, da, dh0, workspace);
}

}  // namespace star::kernels
