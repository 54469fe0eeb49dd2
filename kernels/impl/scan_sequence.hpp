#pragma once
// Internal to kernels/: the linear recurrence as both GPU walks see it (linear_scan.cpp walks a
// whole sequence per team, chained_scan.hpp one segment per team): where its operands lie, in
// scan order, forward or reverse, and the steps a thread holds in registers.
#include "element.hpp"
#include "execution.hpp"

namespace star::kernels::impl {

// The recurrence in scan order p = 0 .. T-1: state = coef(p) * state + in(p), written to out.
// Forward: time t = p, coef = a[t], in = x[t]. Reverse: t = T-1-p, coef = a[t + 1] (0 past the
// end), in = dh[t]; this gives g[t] = dh[t] + a[t + 1] g[t + 1], and then da[t] = g[t] h[t - 1].
// Every access is to V neighbouring channels c .. c + V - 1 at once (see load).
template <class Elem>
struct Scan {
  // Plain pointers, not Views: the functor stays small enough to go to the GPU as a kernel
  // argument (Kokkos copies larger ones to constant memory, and waits on the host for the
  // previous such kernel first).
  const Elem *a = nullptr, *in = nullptr;  // [B, T, C]
  Elem* out = nullptr;
  const float* h0 = nullptr;  // [B, C] or null
  // Reverse only: the forward's h, and where da and dh0 go.
  const Elem* h = nullptr;
  Elem* da = nullptr;
  float* dh0 = nullptr;  // [B, C] or null
  int64_t T = 0, C = 0;
  bool reverse = false;

  KOKKOS_INLINE_FUNCTION int64_t at(int64_t b, int64_t t, int64_t c) const { return (b * T + t) * C + c; }
  KOKKOS_INLINE_FUNCTION int64_t time(int64_t p) const { return reverse ? T - 1 - p : p; }
  // The three reads as loaded (see Packed): a[t] (reverse a[t + 1], zeros past the end),
  // the input, and in reverse h[t - 1] (zeros at t = 0, where initial_previous applies).
  template <int V>
  KOKKOS_INLINE_FUNCTION void coef_packed(int64_t b, int64_t p, int64_t c, Packed<Elem, V>& k) const {
    const int64_t t = reverse ? T - p : p;  // reverse: a[t + 1] for t = T - 1 - p
    if (t < T) load_packed<V>(a + at(b, t, c), k);
    else k = Packed<Elem, V>{};
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void input_packed(int64_t b, int64_t p, int64_t c, Packed<Elem, V>& x) const {
    load_packed<V>(in + at(b, time(p), c), x);
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void previous_packed(int64_t b, int64_t p, int64_t c, Packed<Elem, V>& prev) const {
    const int64_t t = time(p);
    if (t > 0) load_packed<V>(h + at(b, t - 1, c), prev);
    else prev = Packed<Elem, V>{};
  }
  // The same reads widened to fp32 at once (the re-reading path of an explicit chunk length).
  template <int V>
  KOKKOS_INLINE_FUNCTION void coef(int64_t b, int64_t p, int64_t c, float (&k)[V]) const {
    Packed<Elem, V> word;
    coef_packed<V>(b, p, c, word);
    unpack<V>(word, k);
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void input(int64_t b, int64_t p, int64_t c, float (&x)[V]) const {
    Packed<Elem, V> word;
    input_packed<V>(b, p, c, word);
    unpack<V>(word, x);
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void initial(int64_t b, int64_t c, float (&s)[V]) const {
    STAR_UNROLL for (int v = 0; v < V; ++v) s[v] = h0 && !reverse ? h0[b * C + c + v] : 0.0f;
  }
  // Reverse only: h[t - 1] (or h0 at t = 0), which da[t] = g[t] h[t - 1] needs.
  template <int V>
  KOKKOS_INLINE_FUNCTION void previous(int64_t b, int64_t p, int64_t c, float (&prev)[V]) const {
    if (time(p) == 0) return initial_previous<V>(b, c, prev);
    Packed<Elem, V> word;
    previous_packed<V>(b, p, c, word);
    unpack<V>(word, prev);
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void initial_previous(int64_t b, int64_t c, float (&prev)[V]) const {
    STAR_UNROLL for (int v = 0; v < V; ++v) prev[v] = h0 ? h0[b * C + c + v] : 0.0f;
  }
  // Writes the state at scan position p; in reverse also what it gives the coefficient gradients
  // (`prev` from previous()).
  template <int V>
  KOKKOS_INLINE_FUNCTION void write(int64_t b, int64_t p, int64_t c, const float (&g)[V], const float (&prev)[V]) const {
    const int64_t t = time(p);
    store<V>(out + at(b, t, c), g);
    if (!reverse) return;
    float grad[V];
    STAR_UNROLL for (int v = 0; v < V; ++v) grad[v] = g[v] * prev[v];
    store<V>(da + at(b, t, c), grad);
    if (t == 0 && dh0)
      STAR_UNROLL for (int v = 0; v < V; ++v) dh0[b * C + c + v] = to_float(a[at(b, 0, c + v)]) * g[v];
  }
};

// One thread's kSteps steps of V channels, loaded at once (all the loads in flight together)
// and kept as loaded (bf16 pairs in one word) until used: coefficients, inputs and, in reverse,
// the forward's previous states (the forward holds no registers for them).
template <class Elem, int kSteps, int V, bool kReverse>
struct HeldSteps {
  using Word = Packed<Elem, V>;
  static constexpr int kRegs = kSteps > 0 ? kSteps : 1;
  Word coef[kRegs], input[kRegs], prev[kReverse ? kRegs : 1];

  // Whether all kSteps steps from p0 lie inside the sequence and away from its edges (reverse:
  // a[t + 1] past the end, h[t - 1] before the start): then one address per array and a fixed
  // stride serve them all, with no checks per step (the common case; most of a kernel's
  // instructions otherwise go to index arithmetic and checks).
  KOKKOS_INLINE_FUNCTION static bool inside(const Scan<Elem>& scan, int64_t p0) {
    return kSteps > 0 && (kReverse ? p0 >= 1 && p0 + kSteps <= scan.T - 1 : p0 + kSteps <= scan.T);
  }
  KOKKOS_INLINE_FUNCTION static int64_t stride(const Scan<Elem>& scan) { return kReverse ? -scan.C : scan.C; }

  // Loads the steps from scan position p0 on (zeros past the end, which no step uses).
  KOKKOS_INLINE_FUNCTION void load(const Scan<Elem>& scan, int64_t b, int64_t p0, int64_t c) {
    if (inside(scan, p0)) {
      const int64_t t0 = scan.time(p0), step = stride(scan);
      const Elem* a = scan.a + scan.at(b, kReverse ? t0 + 1 : t0, c);
      const Elem* x = scan.in + scan.at(b, t0, c);
      STAR_UNROLL for (int l = 0; l < kRegs; ++l) {
        load_packed<V>(a + l * step, coef[l]);
        load_packed<V>(x + l * step, input[l]);
      }
      if constexpr (kReverse) {
        const Elem* h = scan.h + scan.at(b, t0 - 1, c);
        STAR_UNROLL for (int l = 0; l < kRegs; ++l) load_packed<V>(h + l * step, prev[l]);
      }
      return;
    }
    STAR_UNROLL for (int l = 0; l < kRegs; ++l) {
      if (p0 + l < scan.T) {
        scan.template coef_packed<V>(b, p0 + l, c, coef[l]);
        scan.template input_packed<V>(b, p0 + l, c, input[l]);
        if constexpr (kReverse) scan.template previous_packed<V>(b, p0 + l, c, prev[l]);
      } else {
        coef[l] = Word{};
        input[l] = Word{};
        if constexpr (kReverse) prev[l] = Word{};
      }
    }
  }

  // Folds the steps before position `end` from a zero state: prod = the product of their
  // coefficients, st = the state they leave.
  KOKKOS_INLINE_FUNCTION void fold(int64_t p0, int64_t end, float (&prod)[V], float (&st)[V]) const {
    STAR_UNROLL for (int v = 0; v < V; ++v) {
      prod[v] = 1.0f;
      st[v] = 0.0f;
    }
    const bool all = end - p0 >= kRegs;  // the loop without a check per step
    float k[V], x[V];
    STAR_UNROLL for (int l = 0; l < kRegs; ++l) {
      if (!all && p0 + l >= end) break;
      unpack<V>(coef[l], k);
      unpack<V>(input[l], x);
      STAR_UNROLL for (int v = 0; v < V; ++v) {
        st[v] = k[v] * st[v] + x[v];
        prod[v] *= k[v];
      }
    }
  }

  // Runs the steps before position `end` from state g and writes each (see Scan::write).
  KOKKOS_INLINE_FUNCTION void run(const Scan<Elem>& scan, int64_t b, int64_t p0, int64_t end, int64_t c,
                                  float (&g)[V]) const {
    float k[V], x[V], h_prev[V];
    if (inside(scan, p0) && end - p0 >= kRegs) {
      const int64_t t0 = scan.time(p0), step = stride(scan);
      Elem* out = scan.out + scan.at(b, t0, c);
      Elem* da = kReverse ? scan.da + scan.at(b, t0, c) : nullptr;
      STAR_UNROLL for (int l = 0; l < kRegs; ++l) {
        unpack<V>(coef[l], k);
        unpack<V>(input[l], x);
        STAR_UNROLL for (int v = 0; v < V; ++v) g[v] = k[v] * g[v] + x[v];
        store<V>(out + l * step, g);
        if constexpr (kReverse) {  // da[t] = g[t] h[t - 1]
          unpack<V>(prev[l], h_prev);
          STAR_UNROLL for (int v = 0; v < V; ++v) h_prev[v] *= g[v];
          store<V>(da + l * step, h_prev);
        }
      }
      return;
    }
    STAR_UNROLL for (int v = 0; v < V; ++v) h_prev[v] = 0.0f;
    STAR_UNROLL for (int l = 0; l < kRegs; ++l) {
      if (p0 + l >= end) break;
      unpack<V>(coef[l], k);
      unpack<V>(input[l], x);
      STAR_UNROLL for (int v = 0; v < V; ++v) g[v] = k[v] * g[v] + x[v];
      if constexpr (kReverse) {
        if (scan.time(p0 + l) > 0) unpack<V>(prev[l], h_prev);
        else scan.template initial_previous<V>(b, c, h_prev);
      }
      scan.template write<V>(b, p0 + l, c, g, h_prev);
    }
  }
};

}  // namespace star::kernels::impl
