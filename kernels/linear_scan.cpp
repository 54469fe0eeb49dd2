// Kokkos implementation of the linear recurrence; see linear_scan.hpp for the definition and
// layouts.
//
// One pass over memory, in one of two walks (ScanPlan::look_back). The chained walk (the GPU's
// default: impl/chained_scan.hpp) gives a team one segment of P x L steps and passes the state on
// from segment to segment. The whole-sequence walk (here; the host's default, and the one for an
// explicit chunk length): a team owns W neighbouring channels of one batch row (W lanes:
// coalesced loads and stores) and walks the sequence in blocks of P x L steps; in a block, each of its
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
#include <climits>
#include <stdexcept>
#include <string>
#include <cstdint>
#include <type_traits>

#include "impl/chained_scan.hpp"
#include "impl/constant_dispatch.hpp"
#include "impl/scan_sequence.hpp"

namespace star::kernels {
namespace {

void check_shape(const ScanShape& s) {
  if (s.plan) check_scan_plan(*s.plan);
  if (s.batch < 0 || s.length < 0 || s.channels < 0 || s.chunk < 0)
    throw std::invalid_argument("linear_scan: bad shape B=" + std::to_string(s.batch) + " T=" +
                                std::to_string(s.length) + " C=" + std::to_string(s.channels) +
                                " chunk=" + std::to_string(s.chunk));
}

// A team: `lanes` threads side by side over V channels each, `pieces` of them one after another
// in time, walking the whole sequence. kSteps > 0: each thread's L = kSteps steps are held in
// registers (impl::HeldSteps; step 3 reads nothing again), and with `prefetch` the next block's
// steps are loaded before step 2, so they are in flight while the team carries the state and
// writes (nothing waits on memory between blocks); kSteps == 0: L = `steps`, read twice.
// kReverse is scan.reverse as a constant, so the forward pass holds no registers for the
// previous states.
template <class Exec, class Elem, int kSteps, int V, bool kReverse>
struct BlockedScan {
  using Member = impl::TeamMember<Exec>;
  using Scratch = Kokkos::View<float*, typename Exec::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  using Steps = impl::HeldSteps<Elem, kSteps, V, kReverse>;
  using Bounds = Kokkos::LaunchBounds<>;  // the compiler's choice of registers
  impl::Scan<Elem> scan;
  int64_t channel_blocks = 1, steps = 1;
  int lanes = 1, pieces = 1;
  bool prefetch = true;

  // Team scratch for product, state (lanes x pieces x V each) and carry (lanes x V), alignment included.
  size_t team_scratch_bytes() const {
    return 2 * Scratch::shmem_size(lanes * pieces * V) + Scratch::shmem_size(lanes * V);
  }

  // Folds or runs steps p0 .. end - 1 re-reading them from memory (kSteps == 0).
  KOKKOS_INLINE_FUNCTION void fold_reading(int64_t b, int64_t p0, int64_t end, int64_t c, float (&prod)[V],
                                           float (&st)[V]) const {
    float k[V], x[V];
    STAR_UNROLL for (int v = 0; v < V; ++v) {
      prod[v] = 1.0f;
      st[v] = 0.0f;
    }
    for (int64_t p = p0; p < end; ++p) {
      scan.template coef<V>(b, p, c, k);
      scan.template input<V>(b, p, c, x);
      STAR_UNROLL for (int v = 0; v < V; ++v) {
        st[v] = k[v] * st[v] + x[v];
        prod[v] *= k[v];
      }
    }
  }
  KOKKOS_INLINE_FUNCTION void run_reading(int64_t b, int64_t p0, int64_t end, int64_t c, float (&g)[V]) const {
    float k[V], x[V], prev[V];
    STAR_UNROLL for (int v = 0; v < V; ++v) prev[v] = 0.0f;
    for (int64_t p = p0; p < end; ++p) {
      scan.template coef<V>(b, p, c, k);
      scan.template input<V>(b, p, c, x);
      if constexpr (kReverse) scan.template previous<V>(b, p, c, prev);
      STAR_UNROLL for (int v = 0; v < V; ++v) g[v] = k[v] * g[v] + x[v];
      scan.template write<V>(b, p, c, g, prev);
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
    Steps cur{}, next{};  // zeroed: the host compiler cannot see that only loaded steps are read
    if constexpr (kSteps > 0)
      if (active && prefetch) cur.load(scan, b, piece * L, c);
    for (int64_t start = 0; start < T; start += block) {
      const int64_t p0 = start + piece * L, p1 = p0 + L < T ? p0 + L : T;
      // 1. this piece from a zero state
      float prod[V], st[V];
      STAR_UNROLL for (int v = 0; v < V; ++v) {
        prod[v] = 1.0f;
        st[v] = 0.0f;
      }
      if (active) {
        if constexpr (kSteps > 0) {
          if (!prefetch) cur.load(scan, b, p0, c);
          cur.fold(p0, p1, prod, st);
        } else {
          fold_reading(b, p0, p1, c, prod, st);
        }
      }
      STAR_UNROLL for (int v = 0; v < V; ++v) {
        product(slot + v) = prod[v];
        state(slot + v) = st[v];
      }
      if constexpr (kSteps > 0)
        if (active && prefetch && start + block < T) next.load(scan, b, p0 + block, c);
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
        float g[V];
        STAR_UNROLL for (int v = 0; v < V; ++v) g[v] = state(slot + v);
        if constexpr (kSteps > 0) cur.run(scan, b, p0, p1, c, g);
        else run_reading(b, p0, p1, c, g);
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

// The call's plan: the one it was given, else the defaults (on the host: whole sequences).
ScanPlan plan_for(const ScanPlan* given, bool host) {
  if (given) return *given;
  ScanPlan plan;
  if (host) plan.look_back = 0;
  return plan;
}

// Pieces per team: on a GPU as many as the plan asks and fit a team of lanes x pieces threads
// (registers and scratch); on the host a team is one thread.
template <class Exec, class Functor>
int pieces_that_fit(const Exec& exec, Functor functor, int64_t league, const ScanPlan& plan) {
  if (impl::runs_on_host<Exec>()) return 1;
  functor.pieces = plan.pieces;
  Kokkos::TeamPolicy<Exec, typename Functor::Bounds> probe(exec, static_cast<int>(std::min<int64_t>(league, INT_MAX)),
                                                           plan.lanes);
  probe.set_scratch_size(0, Kokkos::PerTeam(functor.team_scratch_bytes()));
  return std::max(1, std::min(plan.pieces, probe.team_size_max(functor, Kokkos::ParallelForTag()) / plan.lanes));
}

template <class Exec, class Functor>
void launch_teams(const Exec& exec, const char* name, const Functor& functor, int64_t league) {
  Kokkos::TeamPolicy<Exec, typename Functor::Bounds> policy(exec, static_cast<int>(league),
                                                            functor.lanes * functor.pieces);
  policy.set_scratch_size(0, Kokkos::PerTeam(functor.team_scratch_bytes()));
  Kokkos::parallel_for(name, policy, functor);
}

template <class Exec, class Elem, int kSteps, int V, bool kReverse>
void run_blocked(const Exec& exec, const impl::Scan<Elem>& scan, int64_t B, int64_t steps, const ScanPlan& plan) {
  BlockedScan<Exec, Elem, kSteps, V, kReverse> blocked;
  blocked.scan = scan;
  blocked.lanes = impl::runs_on_host<Exec>() ? 1 : plan.lanes;
  blocked.steps = steps;
  blocked.prefetch = plan.prefetch;
  blocked.channel_blocks = (scan.C / V + blocked.lanes - 1) / blocked.lanes;  // V divides C (see run_scan)
  const int64_t league = B * blocked.channel_blocks;
  blocked.pieces = pieces_that_fit(exec, blocked, league, plan);
  launch_teams(exec, "star::linear_scan", blocked, league);
}

// False (nothing run) when the segments are too many for one launch.
template <class Exec, class Elem, int kSteps, int V, bool kReverse>
bool run_chained(const Launch& launch, const Exec& exec, const impl::Scan<Elem>& scan, int64_t B,
                 const ScanPlan& plan) {
  using Functor = impl::ChainedScan<Exec, Elem, kSteps, V, kReverse>;
  Functor chained;
  chained.scan = scan;
  chained.batch = B;
  chained.lanes = impl::runs_on_host<Exec>() ? 1 : plan.lanes;
  chained.channel_blocks = (scan.C / V + chained.lanes - 1) / chained.lanes;
  chained.look_back = plan.look_back;
  const int64_t rows = B * chained.channel_blocks;
  chained.pieces = pieces_that_fit(exec, chained, rows, plan);
  chained.segments = Functor::segment_count(scan.T, chained.pieces);
  if (chained.segments > INT_MAX / rows) return false;
  if (chained.segments > 1) {
    const int64_t words = Functor::link_words(chained.segments, B, scan.C);
    chained.links = impl::stream_words(launch, words);
    // A graph replays this launch with the tag it was captured with, so the words the previous
    // replay published would pass for this one's: a captured launch clears them first.
    if (impl::capturing(launch)) impl::clear_words(launch, chained.links, words);
  }
  chained.tag = impl::next_launch_tag();
  launch_teams(exec, "star::linear_scan_chained", chained, chained.segments * rows);
  return true;
}

template <class Exec, class Elem>
void run_scan(const Launch& launch, const Exec& exec, const impl::Scan<Elem>& scan, const ScanShape& shape) {
  const int64_t B = shape.batch, chunk = shape.chunk;
  const ScanPlan plan = plan_for(shape.plan, impl::runs_on_host<Exec>());
  // bf16 two channels per thread where the plan allows, the channels pair up and every array is
  // aligned to a pair.
  const bool pairs = plan.channels_per_thread != 1 &&
                     impl::pairs_channels<Elem>(scan.C, {scan.a, scan.in, scan.out, scan.h, scan.da});
  auto run = [&](auto steps, auto per_thread, int64_t chunk_steps) {
    constexpr int S = decltype(steps)::value, V = decltype(per_thread)::value;
    if constexpr (S > 0)  // an explicit chunk length walks whole sequences, re-reading
      if (plan.look_back > 0 && (scan.reverse ? run_chained<Exec, Elem, S, V, true>(launch, exec, scan, B, plan)
                                        : run_chained<Exec, Elem, S, V, false>(launch, exec, scan, B, plan)))
        return;
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

template <class Elem>
impl::Scan<Elem> make_scan(const ScanShape& shape, const Elem* a, const Elem* in, Elem* out, const float* h0) {
  impl::Scan<Elem> s;
  s.a = a;
  s.in = in;
  s.out = out;
  s.h0 = h0;
  s.T = shape.length;
  s.C = shape.channels;
  return s;
}

template <class Elem>
void forward(const Launch& launch, const ScanShape& shape, const Elem* a, const Elem* x, const float* h0, Elem* h) {
  check_shape(shape);
  if (shape.batch * shape.length * shape.channels == 0) return;
  const auto scan = make_scan<Elem>(shape, a, x, h, h0);
  impl::dispatch(launch, [&](const auto& exec) { run_scan(launch, exec, scan, shape); });
}

template <class Elem>
void backward(const Launch& launch, const ScanShape& shape, const Elem* a, const Elem* h, const float* h0,
              const Elem* dh, Elem* dx, Elem* da, float* dh0) {
  check_shape(shape);
  if (shape.batch * shape.channels == 0) return;
  auto scan = make_scan<Elem>(shape, a, dh, dx, h0);  // dx = g
  scan.reverse = true;
  scan.h = h;
  scan.da = da;
  scan.dh0 = h0 ? dh0 : nullptr;  // dh0 only where there was an h0
  impl::dispatch(launch, [&](const auto& exec) {
    using Exec = std::decay_t<decltype(exec)>;
    if (shape.length == 0) {  // nothing flowed back to the initial state
      if (scan.dh0) Kokkos::deep_copy(exec, impl::View2<Exec, float>(scan.dh0, shape.batch, shape.channels), 0.0f);
      return;
    }
    run_scan(launch, exec, scan, shape);
  });
}

}  // namespace

void check_scan_plan(const ScanPlan& plan) {
  with_register_steps(plan.steps, [](auto) {});  // throws for steps no kernel is built for
  if (plan.pieces < 1 || plan.pieces > 32 || plan.channels_per_thread < 0 || plan.channels_per_thread > 2 ||
      (plan.lanes != 8 && plan.lanes != 16 && plan.lanes != 32) || plan.look_back < 0 || plan.look_back > 32)
    throw std::invalid_argument("linear_scan: bad plan: pieces " + std::to_string(plan.pieces) +
                                " (1 to 32), channels per thread " + std::to_string(plan.channels_per_thread) +
                                " (0 = automatic, 1 or 2), lanes " + std::to_string(plan.lanes) +
                                " (8, 16 or 32), look-back " + std::to_string(plan.look_back) + " (0 to 32)");
}

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
