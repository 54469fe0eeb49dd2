// Kokkos implementation of the linear recurrence; see linear_scan.hpp for the definition and
// layouts. A chunked "reduce, carry, scan" in three passes, each a flat parallel loop with
// channels fastest (neighbouring GPU threads touch neighbouring channels: coalesced):
//   1. reduce: each (b, chunk, c) folds its chunk from a zero state into (product of a, state);
//   2. carry:  each (b, c) walks the chunks in order: the state entering each chunk;
//   3. scan:   each (b, chunk, c) runs its chunk again from the state entering it, writing h.
// a and x are read twice and h written once; the carry pass touches only B x chunks x C values.
// The backward pass is the same scan run backwards in time on (a shifted by one step, dh).
#include "linear_scan.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>

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
// end), in = dh[t]; this gives g[t] = dh[t] + a[t + 1] g[t + 1].
template <class Exec>
struct Scan {
  impl::View3<Exec, const float> a, in;
  impl::View3<Exec, float> out;
  impl::View3<Exec, float> prod, carry;  // [B, chunks, C] scratch
  int64_t T, C, L, chunks;
  bool reverse;

  KOKKOS_INLINE_FUNCTION int64_t time(int64_t p) const { return reverse ? T - 1 - p : p; }
  KOKKOS_INLINE_FUNCTION float coef(int64_t b, int64_t p, int64_t c) const {
    if (!reverse) return a(b, p, c);
    const int64_t t = T - 1 - p;
    return t + 1 < T ? a(b, t + 1, c) : 0.0f;
  }
};

template <class Exec>
void run_scan(const Exec& exec, const Scan<Exec>& s, int64_t B, const float* init_ptr) {
  using Policy = Kokkos::RangePolicy<Exec, Kokkos::IndexType<int64_t>>;
  const int64_t C = s.C, chunks = s.chunks, L = s.L, T = s.T;
  const Scan<Exec> scan = s;
  Kokkos::parallel_for(
      "star::linear_scan_reduce", Policy(exec, 0, B * chunks * C), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, k = (i / C) % chunks, b = i / (C * chunks);
        const int64_t end = k * L + L < T ? k * L + L : T;
        float product = 1.0f, state = 0.0f;
        for (int64_t p = k * L; p < end; ++p) {
          const float coef = scan.coef(b, p, c);
          state = coef * state + scan.in(b, scan.time(p), c);
          product *= coef;
        }
        scan.prod(b, k, c) = product;
        scan.carry(b, k, c) = state;
      });
  impl::View2<Exec, const float> init(init_ptr, init_ptr ? B : 0, init_ptr ? C : 0);
  const bool has_init = init_ptr != nullptr;
  Kokkos::parallel_for(
      "star::linear_scan_carry", Policy(exec, 0, B * C), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, b = i / C;
        float state = has_init ? init(b, c) : 0.0f;
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
          state = scan.coef(b, p, c) * state + scan.in(b, t, c);
          scan.out(b, t, c) = state;
        }
      });
}

template <class Exec>
Scan<Exec> make_scan(const ScanShape& shape, const float* a, const float* in, float* out, float* workspace,
                     bool reverse) {
  const int64_t B = shape.batch, T = shape.length, C = shape.channels, chunks = chunk_count(shape);
  Scan<Exec> s;
  s.a = impl::View3<Exec, const float>(a, B, T, C);
  s.in = impl::View3<Exec, const float>(in, B, T, C);
  s.out = impl::View3<Exec, float>(out, B, T, C);
  s.prod = impl::View3<Exec, float>(workspace, B, chunks, C);
  s.carry = impl::View3<Exec, float>(workspace + B * chunks * C, B, chunks, C);
  s.T = T;
  s.C = C;
  s.L = chunk_length(shape);
  s.chunks = chunks;
  s.reverse = reverse;
  return s;
}

template <class Exec>
void backward_gradients(const Exec& exec, const ScanShape& shape, const float* a_ptr, const float* h_ptr,
                        const float* h0_ptr, float* g_ptr, float* da_ptr, float* dh0_ptr) {
  using Policy = Kokkos::RangePolicy<Exec, Kokkos::IndexType<int64_t>>;
  const int64_t B = shape.batch, T = shape.length, C = shape.channels;
  impl::View3<Exec, const float> a(a_ptr, B, T, C), h(h_ptr, B, T, C);
  impl::View3<Exec, float> g(g_ptr, B, T, C), da(da_ptr, B, T, C);
  impl::View2<Exec, const float> h0(h0_ptr, h0_ptr ? B : 0, h0_ptr ? C : 0);
  const bool has_h0 = h0_ptr != nullptr;
  Kokkos::parallel_for(
      "star::linear_scan_backward_coefficients", Policy(exec, 0, B * T * C), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, t = (i / C) % T, b = i / (C * T);
        const float previous = t > 0 ? h(b, t - 1, c) : (has_h0 ? h0(b, c) : 0.0f);
        da(b, t, c) = g(b, t, c) * previous;
      });
  if (dh0_ptr && T > 0) {
    impl::View2<Exec, float> dh0(dh0_ptr, B, C);
    Kokkos::parallel_for(
        "star::linear_scan_backward_initial", Policy(exec, 0, B * C), KOKKOS_LAMBDA(const int64_t i) {
          const int64_t c = i % C, b = i / C;
          dh0(b, c) = a(b, 0, c) * g(b, 0, c);
        });
  }
}

}  // namespace

int64_t linear_scan_workspace_floats(const ScanShape& shape) {
  check_shape(shape);
  return 2 * shape.batch * chunk_count(shape) * shape.channels;
}

void linear_scan_forward(const Launch& launch, const ScanShape& shape, const float* a, const float* x,
                         const float* h0, float* h, float* workspace) {
  check_shape(shape);
  if (shape.batch * shape.length * shape.channels == 0) return;
  impl::dispatch(launch, [&](const auto& exec) {
    using Exec = std::decay_t<decltype(exec)>;
    run_scan(exec, make_scan<Exec>(shape, a, x, h, workspace, false), shape.batch, h0);
  });
}

void linear_scan_backward(const Launch& launch, const ScanShape& shape, const float* a, const float* h,
                          const float* h0, const float* dh, float* dx, float* da, float* dh0, float* workspace) {
  check_shape(shape);
  if (shape.batch * shape.channels == 0) return;
  impl::dispatch(launch, [&](const auto& exec) {
    using Exec = std::decay_t<decltype(exec)>;
    if (shape.length == 0) {  // nothing flowed back to the initial state
      if (h0 && dh0) Kokkos::deep_copy(exec, impl::View2<Exec, float>(dh0, shape.batch, shape.channels), 0.0f);
      return;
    }
    run_scan(exec, make_scan<Exec>(shape, a, dh, dx, workspace, true), shape.batch, nullptr);  // dx = g
    backward_gradients(exec, shape, a, h, h0, dx, da, h0 ? dh0 : nullptr);
  });
}

}  // namespace star::kernels
