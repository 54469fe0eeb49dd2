// Kokkos implementation of the linear recurrence; see linear_scan.hpp for the definition and
// layouts.
//
// One pass over memory. A team owns W neighbouring channels of one batch row (W lanes: coalesced
// loads and stores) and walks the sequence in blocks of P x L steps; in a block, each of its
// W x P threads owns L consecutive steps of one channel:
//   1. each thread folds its L steps from a zero state into (product of a, state);
//   2. one thread per lane walks the block's P pieces in order and turns them into the state
//      entering each piece (starting from the state the previous block left);
//   3. each thread runs its L steps again from that state and writes h.
// Memory sees a and x read once and h written once: by default the L steps stay in registers
// between steps 1 and 3 (with an explicit chunk length, step 3 re-reads them from the caches).
// On the host a team is one thread (W = P = 1) and the same code is a blocked sequential scan.
// The backward pass is the same scan run backwards in time on (a shifted by one step, dh); its
// step 3 also writes da and dh0, so g never makes a round trip through memory.
#include "linear_scan.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <cstdint>
#include <type_traits>

#include "impl/constant_dispatch.hpp"
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

// The recurrence in scan order p = 0 .. T-1: state = coef(p) * state + in(p), written to out.
// Forward: time t = p, coef = a[t], in = x[t]. Reverse: t = T-1-p, coef = a[t + 1] (0 past the
// end), in = dh[t]; this gives g[t] = dh[t] + a[t + 1] g[t + 1], and then da[t] = g[t] h[t - 1].
// Every access is to V neighbouring channels c .. c + V - 1 at once (see impl::load).
template <class Exec, class Elem>
struct Scan {
  impl::View3<Exec, const Elem> a, in;
  impl::View3<Exec, Elem> out;
  impl::View2<Exec, const float> h0;  // [B, C] or empty
  // Reverse only: the forward's h, and where da and dh0 go.
  impl::View3<Exec, const Elem> h;
  impl::View3<Exec, Elem> da;
  impl::View2<Exec, float> dh0;  // [B, C] or empty
  int64_t T = 0, C = 0;
  bool reverse = false, has_h0 = false, has_dh0 = false;

  KOKKOS_INLINE_FUNCTION int64_t at(int64_t b, int64_t t, int64_t c) const { return (b * T + t) * C + c; }
  KOKKOS_INLINE_FUNCTION int64_t time(int64_t p) const { return reverse ? T - 1 - p : p; }
  // The three reads as loaded (see impl::Packed): a[t] (reverse a[t + 1], zeros past the end),
  // the input, and in reverse h[t - 1] (zeros at t = 0, where initial_previous applies).
  template <int V>
  KOKKOS_INLINE_FUNCTION void coef_packed(int64_t b, int64_t p, int64_t c, impl::Packed<Elem, V>& k) const {
    const int64_t t = reverse ? T - p : p;  // reverse: a[t + 1] for t = T - 1 - p
    if (t < T) impl::load_packed<V>(a.data() + at(b, t, c), k);
    else k = impl::Packed<Elem, V>{};
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void input_packed(int64_t b, int64_t p, int64_t c, impl::Packed<Elem, V>& x) const {
    impl::load_packed<V>(in.data() + at(b, time(p), c), x);
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void previous_packed(int64_t b, int64_t p, int64_t c, impl::Packed<Elem, V>& prev) const {
    const int64_t t = time(p);
    if (t > 0) impl::load_packed<V>(h.data() + at(b, t - 1, c), prev);
    else prev = impl::Packed<Elem, V>{};
  }
  // The same reads widened to fp32 at once (the re-reading path of an explicit chunk length).
  template <int V>
  KOKKOS_INLINE_FUNCTION void coef(int64_t b, int64_t p, int64_t c, float (&k)[V]) const {
    impl::Packed<Elem, V> word;
    coef_packed<V>(b, p, c, word);
    impl::unpack<V>(word, k);
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void input(int64_t b, int64_t p, int64_t c, float (&x)[V]) const {
    impl::Packed<Elem, V> word;
    input_packed<V>(b, p, c, word);
    impl::unpack<V>(word, x);
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void initial(int64_t b, int64_t c, float (&s)[V]) const {
    STAR_UNROLL for (int v = 0; v < V; ++v) s[v] = has_h0 && !reverse ? h0(b, c + v) : 0.0f;
  }
  // Reverse only: h[t - 1] (or h0 at t = 0), which da[t] = g[t] h[t - 1] needs.
  template <int V>
  KOKKOS_INLINE_FUNCTION void previous(int64_t b, int64_t p, int64_t c, float (&prev)[V]) const {
    if (time(p) == 0) return initial_previous<V>(b, c, prev);
    impl::Packed<Elem, V> word;
    previous_packed<V>(b, p, c, word);
    impl::unpack<V>(word, prev);
  }
  template <int V>
  KOKKOS_INLINE_FUNCTION void initial_previous(int64_t b, int64_t c, float (&prev)[V]) const {
    STAR_UNROLL for (int v = 0; v < V; ++v) prev[v] = has_h0 ? h0(b, c + v) : 0.0f;
  }
  // Writes the state at scan position p; in reverse also what it gives the coefficient gradients
  // (`prev` from previous()).
  template <int V>
  KOKKOS_INLINE_FUNCTION void write(int64_t b, int64_t p, int64_t c, const float (&g)[V], const float (&prev)[V]) const {
    const int64_t t = time(p);
    impl::store<V>(out.data() + at(b, t, c), g);
    if (!reverse) return;
    float grad[V];
    STAR_UNROLL for (int v = 0; v < V; ++v) grad[v] = g[v] * prev[v];
    impl::store<V>(da.data() + at(b, t, c), grad);
    if (t == 0 && has_dh0)
      STAR_UNROLL for (int v = 0; v < V; ++v) dh0(b, c + v) = impl::to_float(a(b, 0, c + v)) * g[v];
  }
};

// A team: `lanes` threads side by side over V channels each, `pieces` of them one after another
// in time. kSteps > 0: each thread's L = kSteps steps are loaded into registers at once (all the
// loads in flight together, and step 3 reads nothing again), kept as loaded (bf16 pairs in one
// word) until used, and with `prefetch` the next block's steps are loaded before step 2, so they
// are in flight while the team carries the state and writes (nothing waits on memory between
// blocks); kSteps == 0: L = `steps`, read twice. kReverse is scan.reverse as a constant, so the
// forward pass holds no registers for the previous states.
template <class Exec, class Elem, int kSteps, int V, bool kReverse>
struct BlockedScan {
  using Member = typename Kokkos::TeamPolicy<Exec>::member_type;
  using Scratch = Kokkos::View<float*, typename Exec::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  using Word = impl::Packed<Elem, V>;
  static constexpr int kRegs = kSteps > 0 ? kSteps : 1;
  Scan<Exec, Elem> scan;
  int64_t channel_blocks = 1, steps = 1;
  int lanes = 1, pieces = 1;
  bool prefetch = true;

  // One thread's L steps as loaded: coefficients, inputs and (reverse) the forward's previous states.
  struct Piece {
    Word coef[kRegs], input[kRegs], prev[kReverse ? kRegs : 1];
  };

  // Team scratch for product, state (lanes x pieces x V each) and carry (lanes x V), alignment included.
  static size_t scratch_bytes(int lanes, int pieces) {
    return 2 * Scratch::shmem_size(lanes * pieces * V) + Scratch::shmem_size(lanes * V);
  }

  // Loads the kSteps steps from scan position p0 on (zeros past the end, which no step uses).
  KOKKOS_INLINE_FUNCTION void load_piece(int64_t b, int64_t p0, int64_t c, Piece& r) const {
    STAR_UNROLL for (int l = 0; l < kRegs; ++l) {
      if (p0 + l < scan.T) {
        scan.template coef_packed<V>(b, p0 + l, c, r.coef[l]);
        scan.template input_packed<V>(b, p0 + l, c, r.input[l]);
        if constexpr (kReverse) scan.template previous_packed<V>(b, p0 + l, c, r.prev[l]);
      } else {
        r.coef[l] = Word{};
        r.input[l] = Word{};
        if constexpr (kReverse) r.prev[l] = Word{};
      }
    }
  }

  KOKKOS_INLINE_FUNCTION void operator()(const Member& team) const {
    const int64_t b = team.league_rank() / channel_blocks;
    const int lane = team.team_rank() % lanes, piece = team.team_rank() / lanes;
    const int64_t c = ((team.league_rank() % channel_blocks) * lanes + lane) * V;
    const bool active = c < scan.C;
    Scratch product(team.team_scratch(0), lanes * pieces * V), state(team.team_scratch(0), lanes * pieces * V),
        carry(team.team_scratch(0), lanes * V);
    const int slot = (piece * lanes + lane) * V;
    if (piece == 0) {
      float s0[V];
      if (active) scan.template initial<V>(b, c, s0);
      STAR_UNROLL for (int v = 0; v < V; ++v) carry(lane * V + v) = active ? s0[v] : 0.0f;
    }
    const int64_t T = scan.T, L = kSteps > 0 ? kSteps : steps, block = L * pieces;
    Piece cur{}, next{};  // zeroed: the host compiler cannot see that only loaded steps are read
    if constexpr (kSteps > 0)
      if (active && prefetch) load_piece(b, piece * L, c, cur);
    for (int64_t start = 0; start < T; start += block) {
      const int64_t p0 = start + piece * L, p1 = p0 + L < T ? p0 + L : T;
      // 1. this piece from a zero state
      float prod[V], st[V], k[V], x[V];
      STAR_UNROLL for (int v = 0; v < V; ++v) {
        prod[v] = 1.0f;
        st[v] = 0.0f;
      }
      if (active) {
        if constexpr (kSteps > 0) {
          if (!prefetch) load_piece(b, p0, c, cur);
          STAR_UNROLL for (int l = 0; l < kSteps; ++l) {
            if (p0 + l >= p1) break;
            impl::unpack<V>(cur.coef[l], k);
            impl::unpack<V>(cur.input[l], x);
            STAR_UNROLL for (int v = 0; v < V; ++v) {
              st[v] = k[v] * st[v] + x[v];
              prod[v] *= k[v];
            }
          }
        } else {
          for (int64_t p = p0; p < p1; ++p) {
            scan.template coef<V>(b, p, c, k);
            scan.template input<V>(b, p, c, x);
            STAR_UNROLL for (int v = 0; v < V; ++v) {
              st[v] = k[v] * st[v] + x[v];
              prod[v] *= k[v];
            }
          }
        }
      }
      STAR_UNROLL for (int v = 0; v < V; ++v) {
        product(slot + v) = prod[v];
        state(slot + v) = st[v];
      }
      if constexpr (kSteps > 0)
        if (active && prefetch && start + block < T) load_piece(b, p0 + block, c, next);
      team.team_barrier();
      // 2. the state entering each piece, in order
      if (piece == 0) {
        STAR_UNROLL for (int v = 0; v < V; ++v) {
          float running = carry(lane * V + v);
          for (int q = 0; q < pieces; ++q) {
            const int i = (q * lanes + lane) * V + v;
            const float piece_state = state(i);
            state(i) = running;
            running = product(i) * running + piece_state;
          }
          carry(lane * V + v) = running;
        }
      }
      team.team_barrier();
      // 3. this piece again from the state entering it
      if (active) {
        float g[V], prev[V];
        STAR_UNROLL for (int v = 0; v < V; ++v) {
          g[v] = state(slot + v);
          prev[v] = 0.0f;
        }
        if constexpr (kSteps > 0) {
          STAR_UNROLL for (int l = 0; l < kSteps; ++l) {
            if (p0 + l >= p1) break;
            impl::unpack<V>(cur.coef[l], k);
            impl::unpack<V>(cur.input[l], x);
            STAR_UNROLL for (int v = 0; v < V; ++v) g[v] = k[v] * g[v] + x[v];
            if constexpr (kReverse) {
              if (scan.time(p0 + l) > 0) impl::unpack<V>(cur.prev[l], prev);
              else scan.template initial_previous<V>(b, c, prev);
            }
            scan.template write<V>(b, p0 + l, c, g, prev);
          }
        } else {
          for (int64_t p = p0; p < p1; ++p) {
            scan.template coef<V>(b, p, c, k);
            scan.template input<V>(b, p, c, x);
            if constexpr (kReverse) scan.template previous<V>(b, p, c, prev);
            STAR_UNROLL for (int v = 0; v < V; ++v) g[v] = k[v] * g[v] + x[v];
            scan.template write<V>(b, p, c, g, prev);
          }
        }
      }
      if constexpr (kSteps > 0)
        if (prefetch) cur = next;
    }
  }
};

// Calls body(std::integral_constant<int, S>()) for the register steps S a plan may ask for.
template <class Body>
void with_register_steps(int steps, Body&& body) {
  if (!impl::with_constant<4, 8, 16>(steps, body))
    throw std::invalid_argument("linear_scan: plan steps must be 4, 8 or 16, got " + std::to_string(steps));
}

ScanPlan& current_plan() {
  static ScanPlan plan;
  return plan;
}

template <class Exec, class Elem, int kSteps, int V, bool kReverse>
void run_blocked(const Exec& exec, const Scan<Exec, Elem>& scan, int64_t B, int64_t steps, const ScanPlan& plan) {
  // On a GPU: the plan's lanes and as many pieces as it asks and fit a team. On the host a team
  // is one thread.
  const bool host = Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Exec::memory_space>::accessible;
  using Functor = BlockedScan<Exec, Elem, kSteps, V, kReverse>;
  Functor blocked;
  blocked.scan = scan;
  blocked.lanes = host ? 1 : plan.lanes;
  blocked.steps = steps;
  blocked.prefetch = plan.prefetch;
  const int64_t groups = scan.C / V;  // V divides C (see run_scan)
  blocked.channel_blocks = (groups + blocked.lanes - 1) / blocked.lanes;
  const int league = static_cast<int>(B * blocked.channel_blocks);
  int pieces = 1;
  if (!host) {
    Kokkos::TeamPolicy<Exec> probe(exec, league, blocked.lanes);
    probe.set_scratch_size(0, Kokkos::PerTeam(Functor::scratch_bytes(plan.lanes, plan.pieces)));
    blocked.pieces = plan.pieces;
    pieces = std::max(1, std::min(plan.pieces, probe.team_size_max(blocked, Kokkos::ParallelForTag()) / blocked.lanes));
  }
  blocked.pieces = pieces;
  Kokkos::TeamPolicy<Exec> policy(exec, league, blocked.lanes * pieces);
  policy.set_scratch_size(0, Kokkos::PerTeam(Functor::scratch_bytes(blocked.lanes, pieces)));
  Kokkos::parallel_for("star::linear_scan", policy, blocked);
}

template <class Exec, class Elem>
void run_scan(const Exec& exec, const Scan<Exec, Elem>& scan, int64_t B, int64_t chunk) {
  const ScanPlan plan = current_plan();
  // bf16 two channels per thread where the plan allows, the channels pair up and every array is
  // aligned to a pair.
  const bool pairs = plan.channels_per_thread != 1 &&
                     impl::pairs_channels<Elem>(scan.C, {scan.a.data(), scan.in.data(), scan.out.data(), scan.h.data(),
                                                         scan.da.data()});
  auto run = [&](auto steps, auto per_thread, int64_t chunk_steps) {
    constexpr int S = decltype(steps)::value, V = decltype(per_thread)::value;
    if (scan.reverse) run_blocked<Exec, Elem, S, V, true>(exec, scan, B, chunk_steps, plan);
    else run_blocked<Exec, Elem, S, V, false>(exec, scan, B, chunk_steps, plan);
  };
  using One = std::integral_constant<int, 1>;
  using Two = std::integral_constant<int, 2>;
  auto run_any = [&](auto steps, int64_t chunk_steps) {
    if constexpr (std::is_same<Elem, Bf16>::value)  // pairs are a bf16 thing: no fp32 kernels for them
      if (pairs) return run(steps, Two(), chunk_steps);
    run(steps, One(), chunk_steps);
  };
  if (chunk > 0) run_any(std::integral_constant<int, 0>(), chunk);
  else with_register_steps(plan.steps, [&](auto s) { run_any(s, decltype(s)::value); });
}

template <class Exec, class Elem>
Scan<Exec, Elem> make_scan(const ScanShape& shape, const Elem* a, const Elem* in, Elem* out, const float* h0) {
  const int64_t B = shape.batch, T = shape.length, C = shape.channels;
  Scan<Exec, Elem> s;
  s.a = impl::View3<Exec, const Elem>(a, B, T, C);
  s.in = impl::View3<Exec, const Elem>(in, B, T, C);
  s.out = impl::View3<Exec, Elem>(out, B, T, C);
  s.has_h0 = h0 != nullptr;
  s.h0 = impl::View2<Exec, const float>(h0, h0 ? B : 0, h0 ? C : 0);
  s.T = T;
  s.C = C;
  return s;
}

template <class Elem>
void forward(const Launch& launch, const ScanShape& shape, const Elem* a, const Elem* x, const float* h0, Elem* h) {
  check_shape(shape);
  if (shape.batch * shape.length * shape.channels == 0) return;
  impl::dispatch(launch, [&](const auto& exec) {
    using Exec = std::decay_t<decltype(exec)>;
    run_scan(exec, make_scan<Exec, Elem>(shape, a, x, h, h0), shape.batch, shape.chunk);
  });
}

template <class Elem>
void backward(const Launch& launch, const ScanShape& shape, const Elem* a, const Elem* h, const float* h0,
              const Elem* dh, Elem* dx, Elem* da, float* dh0) {
  check_shape(shape);
  if (shape.batch * shape.channels == 0) return;
  impl::dispatch(launch, [&](const auto& exec) {
    using Exec = std::decay_t<decltype(exec)>;
    if (shape.length == 0) {  // nothing flowed back to the initial state
      if (h0 && dh0) Kokkos::deep_copy(exec, impl::View2<Exec, float>(dh0, shape.batch, shape.channels), 0.0f);
      return;
    }
    auto scan = make_scan<Exec, Elem>(shape, a, dh, dx, h0);  // dx = g
    scan.reverse = true;
    scan.h = impl::View3<Exec, const Elem>(h, shape.batch, shape.length, shape.channels);
    scan.da = impl::View3<Exec, Elem>(da, shape.batch, shape.length, shape.channels);
    scan.has_dh0 = h0 && dh0;
    scan.dh0 = impl::View2<Exec, float>(dh0, scan.has_dh0 ? shape.batch : 0, scan.has_dh0 ? shape.channels : 0);
    run_scan(exec, scan, shape.batch, shape.chunk);
  });
}

}  // namespace

void set_scan_plan(const ScanPlan& plan) {
  with_register_steps(plan.steps, [](auto) {});  // throws for steps no kernel is built for
  if (plan.pieces < 1 || plan.pieces > 32 || plan.channels_per_thread < 0 || plan.channels_per_thread > 2 ||
      (plan.lanes != 8 && plan.lanes != 16 && plan.lanes != 32))
    throw std::invalid_argument("linear_scan: bad plan: pieces " + std::to_string(plan.pieces) +
                                " (1 to 32), channels per thread " + std::to_string(plan.channels_per_thread) +
                                " (0 = automatic, 1 or 2), lanes " + std::to_string(plan.lanes) + " (8, 16 or 32)");
  current_plan() = plan;
}

ScanPlan scan_plan() { return current_plan(); }

void linear_scan_forward(const Launch& launch, const ScanShape& shape, const float* a, const float* x,
                         const float* h0, float* h) {
  forward(launch, shape, a, x, h0, h);
}
void linear_scan_forward(const Launch& launch, const ScanShape& shape, const Bf16* a, const Bf16* x,
                         const float* h0, Bf16* h) {
  forward(launch, shape, a, x, h0, h);
}

void linear_scan_backward(const Launch& launch, const ScanShape& shape, const float* a, const float* h,
                          const float* h0, const float* dh, float* dx, float* da, float* dh0) {
  backward(launch, shape, a, h, h0, dh, dx, da, dh0);
}
void linear_scan_backward(const Launch& launch, const ScanShape& shape, const Bf16* a, const Bf16* h,
                          const float* h0, const Bf16* dh, Bf16* dx, Bf16* da, float* dh0) {
  backward(launch, shape, a, h, h0, dh, dx, da, dh0);
}

}  // namespace star::kernels
