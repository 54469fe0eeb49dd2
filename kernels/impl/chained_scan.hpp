#pragma once
// Internal to kernels/: the linear recurrence with one team per time segment (the GPU's default
// walk; see linear_scan.cpp for the walk that gives a team a whole sequence).
//
// Walking a whole sequence per team leaves the GPU only B x C / (channels per team) teams, each
// a long chain of dependent steps: at B = 8, C = 768 too few to keep memory busy, and wider
// teams (a whole 128-byte line per time step) would make even fewer. Here the sequence is cut
// into segments of pieces x steps, and a team owns one segment of its channels:
//   1. each thread loads its steps into registers and folds them from a zero state;
//   2. one thread per channel composes the team's pieces (the state entering each piece is
//      prod x carry + state, for the still unknown carry) and at once publishes the whole
//      segment's (product, state); meanwhile the team's other pieces fetch what the R - 1
//      segments before it published the same way, and piece 0 the state leaving segment s - R
//      (R = the plan's look-back); then it composes those onto that state, which gives the
//      state entering the segment, and publishes the state leaving it;
//   3. each thread runs its steps again from the state entering its piece and writes them.
// Memory sees every operand read once and every result written once. Passing the state on costs
// three published words per channel and segment, and a segment waits for its predecessors only
// as long as one hop (a store and a load through L2) every R segments: the look-back shortens the
// chain R times. On an H200 the chain was not what limited the kernel, and R = 4 or 8 was slower
// than R = 1, the default; where hops cost more, a plan can ask for more. Each published word holds
// its value and the launch's tag together (one 64-bit store, one 64-bit load: no flag to order
// against the value, so no fences), so the words need no clearing between launches.
//
// A team waits only for segments before it, which have smaller league ranks: GPUs start teams in
// rank order (as CUB's single-pass scan relies on too), so what it waits for has started, and
// nothing those wait for comes later. The segment index is the slowest-varying one, so all first
// segments start first. The result is deterministic: the state entering segment s is always
// composed the same way (from the state leaving s - R and the R - 1 segments after it), whatever
// the timing. On the host (Serial) teams run in rank order, one at a time.
#include <cstdint>
#include <type_traits>

#include "scan_sequence.hpp"

namespace star::kernels::impl {

template <class Exec, class Elem, int kSteps, int V, bool kReverse>
struct ChainedScan {
  using Scratch = Kokkos::View<float*, typename Exec::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  using Steps = HeldSteps<Elem, kSteps, V, kReverse>;
  // The forward pass in at most 256 threads a team and 80 registers a thread, so that three teams
  // of 256 share a multiprocessor: left to itself the compiler took 94 for bf16 pairs, which
  // left room for two (25% occupancy, the kernel waiting on memory). It fits 80 without spilling;
  // the reverse pass (a third array held) would spill, so it keeps its own choice.
  using Bounds = std::conditional_t<kReverse, Kokkos::LaunchBounds<>, Kokkos::LaunchBounds<256, 3>>;
  static_assert(kSteps > 0, "a chained segment holds its steps in registers");
  // What a segment publishes, one plane of [B, C] each: its composed product and state, and the
  // state leaving it.
  enum Published { kProduct = 0, kState = 1, kLeaving = 2, kPlanes = 3 };
  Scan<Elem> scan;
  uint64_t* links = nullptr;  // [segments, kPlanes, B, C], tagged with `tag`
  uint32_t tag = 1;
  int64_t batch = 1, channel_blocks = 1, segments = 1;
  int lanes = 1, pieces = 1, look_back = 1;  // look_back >= 1

  // Team scratch: product and state per thread, the looked-back segments' product and state
  // (lanes x look_back x V each), carry (lanes x V), alignment included.
  size_t team_scratch_bytes() const {
    return 2 * Scratch::shmem_size(lanes * pieces * V) + 2 * Scratch::shmem_size(lanes * look_back * V) +
           Scratch::shmem_size(lanes * V);
  }
  static int64_t segment_count(int64_t T, int pieces) {
    const int64_t length = int64_t(kSteps) * pieces;
    return (T + length - 1) / length;
  }
  static int64_t link_words(int64_t segments, int64_t B, int64_t C) { return segments * kPlanes * B * C; }

  KOKKOS_INLINE_FUNCTION uint64_t* link(int plane, int64_t segment, int64_t b, int64_t c) const {
    return links + ((segment * kPlanes + plane) * batch + b) * scan.C + c;
  }
  // Volatile: straight to and from the memory all multiprocessors share, past their own caches.
  KOKKOS_INLINE_FUNCTION float wait_for(const uint64_t* word) const {
    uint64_t w;
    do {
      w = *reinterpret_cast<const volatile uint64_t*>(word);
    } while (static_cast<uint32_t>(w >> 32) != tag);
    return float_from_bits(static_cast<uint32_t>(w));
  }
  KOKKOS_INLINE_FUNCTION void publish(uint64_t* word, float value) const {
    *reinterpret_cast<volatile uint64_t*>(word) = (static_cast<uint64_t>(tag) << 32) | bits_of(value);
  }

  KOKKOS_INLINE_FUNCTION void operator()(const TeamMember<Exec>& team) const {
    const int64_t rows = batch * channel_blocks;
    const int64_t segment = team.league_rank() / rows, row = team.league_rank() % rows;
    const int64_t b = row / channel_blocks;
    const int lane = team.team_rank() % lanes, piece = team.team_rank() / lanes;
    const int64_t c = ((row % channel_blocks) * lanes + lane) * V;
    const bool active = c < scan.C;
    Scratch product(team.team_scratch(0), lanes * pieces * V), state(team.team_scratch(0), lanes * pieces * V),
        back_product(team.team_scratch(0), lanes * look_back * V),
        back_state(team.team_scratch(0), lanes * look_back * V), carry(team.team_scratch(0), lanes * V);
    const int slot = (piece * lanes + lane) * V;
    const int64_t p0 = (segment * pieces + piece) * kSteps, end = p0 + kSteps < scan.T ? p0 + kSteps : scan.T;
    // The state entering this segment is composed from the state leaving segment `base` (or the
    // initial state, base < 0) and the segments after it.
    const int64_t base = segment - look_back;

    // 1. this piece from a zero state
    Steps steps{};  // zeroed: the host compiler cannot see that only loaded steps are read
    float prod[V], st[V];
    STAR_UNROLL for (int v = 0; v < V; ++v) {
      prod[v] = 1.0f;
      st[v] = 0.0f;
    }
    if (active) {
      steps.load(scan, b, p0, c);
      steps.fold(p0, end, prod, st);
    }
    STAR_UNROLL for (int v = 0; v < V; ++v) {
      product(slot + v) = prod[v];
      state(slot + v) = st[v];
    }
    team.team_barrier();

    // 2a. piece 0: the pieces composed and the segment published. Then every piece: what the
    // segments segment - q after `base` published (q = 1 .. look_back - 1, shared out over the
    // pieces: on a GPU usually one each, on the host all of them in piece 0); and piece 0 the
    // state leaving `base`.
    float leaving_base[V], segment_product[V], segment_state[V];
    STAR_UNROLL for (int v = 0; v < V; ++v) leaving_base[v] = segment_product[v] = segment_state[v] = 0.0f;  // piece 0 sets them
    if (active && piece == 0) {
      STAR_UNROLL for (int v = 0; v < V; ++v) {
        float before_prod = 1.0f, before_state = 0.0f;  // entering piece q: before_prod x carry + before_state
        for (int q = 0; q < pieces; ++q) {
          const int i = (q * lanes + lane) * V + v;
          const float piece_prod = product(i), piece_state = state(i);
          product(i) = before_prod;
          state(i) = before_state;
          before_state = piece_prod * before_state + piece_state;
          before_prod *= piece_prod;
        }
        segment_product[v] = before_prod;
        segment_state[v] = before_state;
        if (segment + 1 < segments) {
          publish(link(kProduct, segment, b, c + v), before_prod);
          publish(link(kState, segment, b, c + v), before_state);
        }
      }
    }
    if (active)
      for (int q = piece == 0 ? pieces : piece; q < look_back && segment - q >= 0; q += pieces)
        STAR_UNROLL for (int v = 0; v < V; ++v) {
          back_product((q * lanes + lane) * V + v) = wait_for(link(kProduct, segment - q, b, c + v));
          back_state((q * lanes + lane) * V + v) = wait_for(link(kState, segment - q, b, c + v));
        }
    if (active && piece == 0) {
      if (base >= 0) STAR_UNROLL for (int v = 0; v < V; ++v) leaving_base[v] = wait_for(link(kLeaving, base, b, c + v));
      else scan.template initial<V>(b, c, leaving_base);
    }
    team.team_barrier();

    // 2b. piece 0: the state entering the segment and the state leaving it
    if (active && piece == 0) {
      STAR_UNROLL for (int v = 0; v < V; ++v) {
        float in = leaving_base[v];
        for (int q = look_back - 1; q >= 1; --q) {  // segments base + 1 .. segment - 1, in order
          if (segment - q < 0) continue;
          const int i = (q * lanes + lane) * V + v;
          in = back_product(i) * in + back_state(i);
        }
        if (segment + look_back < segments)
          publish(link(kLeaving, segment, b, c + v), segment_product[v] * in + segment_state[v]);
        carry(lane * V + v) = in;
      }
    }
    team.team_barrier();

    // 3. this piece again from the state entering it
    if (active) {
      float g[V];
      STAR_UNROLL for (int v = 0; v < V; ++v) g[v] = product(slot + v) * carry(lane * V + v) + state(slot + v);
      steps.run(scan, b, p0, end, c, g);
    }
  }
};

}  // namespace star::kernels::impl
