// Kokkos implementation of the causal depthwise convolution; see causal_conv1d.hpp for the
// definition and layouts.
//
// Each thread owns one channel of one batch row over a tile of consecutive time steps and slides
// a window of the last K inputs through registers, so every input is read from memory once (plus
// a K - 1 halo per tile) and every output written once: the kernel moves the bytes it must and
// no more. Neighbouring threads own neighbouring channels, so each step's loads and stores are
// coalesced (bf16 activations go two channels per thread, so each access is 32 bits). The taps
// are a template parameter (2 to 8, the short convolutions' range) so the
// window lives in registers; longer filters take a plain loop over global memory.
//
// The backward pass computes dx with a window running ahead in time and, in the same sweep, each
// tile's share of dw (K sums of dy[t] * x[t - (K - 1) + j]). A team adds its tiles' shares and
// writes one partial row; the caller adds the rows (sum_rows), both in a fixed order, so dw is
// deterministic (no atomics).
#include "causal_conv1d.hpp"

#include <stdexcept>
#include <string>
#include <climits>
#include <cstdint>
#include <initializer_list>
#include <type_traits>

#include "impl/constant_dispatch.hpp"
#include "impl/element.hpp"
#include "impl/execution.hpp"

namespace star::kernels {
namespace {

ConvPlan plan_of(const ConvShape& s) { return s.plan ? *s.plan : ConvPlan{}; }

void check_shape(const ConvShape& s) {
  if (s.plan) check_conv_plan(*s.plan);
  if (s.batch < 0 || s.length < 0 || s.channels < 0 || s.taps < 1)
    throw std::invalid_argument("causal_conv1d: bad shape B=" + std::to_string(s.batch) +
                                " T=" + std::to_string(s.length) + " C=" + std::to_string(s.channels) +
                                " K=" + std::to_string(s.taps));
}

int64_t tiles(int64_t length, int64_t tile) { return (length + tile - 1) / tile; }

template <class Exec>
using Flat = Kokkos::RangePolicy<Exec, Kokkos::IndexType<int64_t>>;

// What the windowed kernels read and write around the convolution, at a time step bt = b T + t
// and a thread's first channel c: the plain convolution's x and y (rows of C), or the gated
// one's projection p = [b | c | x] (rows of 3C) and y = c * conv(b * x) (rows of C). Each step's
// loads are one struct (as loaded: bf16 pairs packed), so a kernel issues U steps of them
// together before it computes, as the plain kernel always has.
//
// Forward: load(bt, ch, In&), input(In, u) the convolution's input u at the step, output(bt, ch,
// In, acc) stores the step's output from the convolution's acc.
// Backward: load_behind at t (what input() needs at t, and what write() needs), load_ahead at
// t + K - 1 (what the output's gradient dv is made of); write(bt, ch, Behind at t, du, v) stores
// the input's gradient from du = d loss / d u and v, the convolution's output at t.
template <class Elem, int V>
struct PlainIo {
  const Elem* x;
  Elem* y;  // forward: y; backward: dx
  const Elem* dy;
  int64_t C;
  struct In {
    impl::Packed<Elem, V> x;
  };
  using Behind = In;
  struct Ahead {
    impl::Packed<Elem, V> dy;
  };
  KOKKOS_INLINE_FUNCTION void load(int64_t bt, int64_t ch, In& in) const { impl::load_packed<V>(x + bt * C + ch, in.x); }
  KOKKOS_INLINE_FUNCTION void input(const In& in, float (&u)[V]) const { impl::unpack<V>(in.x, u); }
  KOKKOS_INLINE_FUNCTION void output(int64_t bt, int64_t ch, const In&, const float (&acc)[V]) const {
    impl::store<V>(y + bt * C + ch, acc);
  }
  KOKKOS_INLINE_FUNCTION void load_behind(int64_t bt, int64_t ch, Behind& in) const { load(bt, ch, in); }
  KOKKOS_INLINE_FUNCTION void load_ahead(int64_t bt, int64_t ch, Ahead& in) const {
    impl::load_packed<V>(dy + bt * C + ch, in.dy);
  }
  KOKKOS_INLINE_FUNCTION void gradient(const Ahead& in, float (&dv)[V]) const { impl::unpack<V>(in.dy, dv); }
  static constexpr bool kWritesWithOutput = false;
  KOKKOS_INLINE_FUNCTION void write(int64_t bt, int64_t ch, const Behind&, const float (&du)[V], const float (&)[V]) const {
    impl::store<V>(y + bt * C + ch, du);
  }
};

// The gated short convolution: u = b * x, y = c * v with v = conv(u); backward from dy:
// dv = dy * c, du = conv^T(dv), db = du * x, dx = du * b, dc = dy * v (v recomputed from the
// window of u the thread holds anyway). b, c, x and their gradients share rows of 3C.
template <class Elem, int V>
struct GatedIo {
  const Elem* p;
  Elem* out;  // forward: y, rows of C; backward: dp, rows of 3C
  const Elem* dy;
  int64_t C;
  struct In {
    impl::Packed<Elem, V> b, c, x;
  };
  struct Behind {
    impl::Packed<Elem, V> b, x, dy;
  };
  struct Ahead {
    impl::Packed<Elem, V> dy, c;
  };
  KOKKOS_INLINE_FUNCTION void load(int64_t bt, int64_t ch, In& in) const {
    const Elem* row = p + bt * 3 * C + ch;
    impl::load_packed<V>(row, in.b);
    impl::load_packed<V>(row + C, in.c);
    impl::load_packed<V>(row + 2 * C, in.x);
  }
  static KOKKOS_INLINE_FUNCTION void product(const impl::Packed<Elem, V>& a, const impl::Packed<Elem, V>& b,
                                             float (&out)[V]) {
    float fb[V];
    impl::unpack<V>(a, out);
    impl::unpack<V>(b, fb);
    STAR_UNROLL for (int v = 0; v < V; ++v) out[v] *= fb[v];
  }
  KOKKOS_INLINE_FUNCTION void input(const In& in, float (&u)[V]) const { product(in.b, in.x, u); }
  KOKKOS_INLINE_FUNCTION void output(int64_t bt, int64_t ch, const In& in, const float (&acc)[V]) const {
    float y[V];
    impl::unpack<V>(in.c, y);
    STAR_UNROLL for (int v = 0; v < V; ++v) y[v] *= acc[v];
    impl::store<V>(out + bt * C + ch, y);
  }
  KOKKOS_INLINE_FUNCTION void load_behind(int64_t bt, int64_t ch, Behind& in) const {
    const Elem* row = p + bt * 3 * C + ch;
    impl::load_packed<V>(row, in.b);
    impl::load_packed<V>(row + 2 * C, in.x);
    impl::load_packed<V>(dy + bt * C + ch, in.dy);  // read again at t: dy[t + K - 1] was, K - 1 steps before
  }
  KOKKOS_INLINE_FUNCTION void input(const Behind& in, float (&u)[V]) const { product(in.b, in.x, u); }
  KOKKOS_INLINE_FUNCTION void load_ahead(int64_t bt, int64_t ch, Ahead& in) const {
    impl::load_packed<V>(dy + bt * C + ch, in.dy);
    impl::load_packed<V>(p + bt * 3 * C + C + ch, in.c);
  }
  KOKKOS_INLINE_FUNCTION void gradient(const Ahead& in, float (&dv)[V]) const { product(in.dy, in.c, dv); }
  static constexpr bool kWritesWithOutput = true;
  KOKKOS_INLINE_FUNCTION void write(int64_t bt, int64_t ch, const Behind& in, const float (&du)[V],
                                    const float (&v)[V]) const {
    float b[V], x[V], dy[V], db[V], dc[V], dx[V];
    impl::unpack<V>(in.b, b);
    impl::unpack<V>(in.x, x);
    impl::unpack<V>(in.dy, dy);
    STAR_UNROLL for (int k = 0; k < V; ++k) {
      db[k] = du[k] * x[k];
      dc[k] = dy[k] * v[k];
      dx[k] = du[k] * b[k];
    }
    Elem* row = out + bt * 3 * C + ch;
    impl::store<V>(row, db);
    impl::store<V>(row + C, dc);
    impl::store<V>(row + 2 * C, dx);
  }
};

// y[t] = sum_j w[j] x[t - (K - 1) + j], window win[m] = x[t - (K - 1) + m]; V channels per thread.
// The tile goes U steps at a time: U loads issued together, then U outputs computed and stored
// (loads after a store could not be issued before it: the compiler cannot know x and y apart).
template <int K, int V, int U, class Exec, class Io>
void forward_windowed(const Exec& exec, const ConvShape& s, int64_t L, const Io& io, const float* w) {
  const int64_t T = s.length, C = s.channels, G = C / V, n_tiles = tiles(T, L);
  Kokkos::parallel_for(
      "star::causal_conv1d_forward", Flat<Exec>(exec, 0, s.batch * n_tiles * G), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = (i % G) * V, tile = (i / G) % n_tiles, b = i / (G * n_tiles);
        const int64_t t0 = tile * L, t1 = t0 + L < T ? t0 + L : T;
        float taps[K][V], win[K][V];
        STAR_UNROLL for (int j = 0; j < K; ++j)
          STAR_UNROLL for (int v = 0; v < V; ++v) taps[j][v] = w[(c + v) * K + j];
        STAR_UNROLL for (int m = 0; m < K - 1; ++m) {
          const int64_t t = t0 - (K - 1) + m;
          typename Io::In in{};
          if (t >= 0) io.load(b * T + t, c, in);
          io.input(in, win[m]);  // zeros before the sequence
        }
        for (int64_t t = t0; t < t1; t += U) {
          typename Io::In in[U];
          STAR_UNROLL for (int u = 0; u < U; ++u)
            if (t + u < t1) io.load(b * T + t + u, c, in[u]);
            else in[u] = typename Io::In{};
          STAR_UNROLL for (int u = 0; u < U; ++u) {
            if (t + u >= t1) break;
            io.input(in[u], win[K - 1]);
            float acc[V];
            STAR_UNROLL for (int v = 0; v < V; ++v) {
              acc[v] = 0.0f;
              STAR_UNROLL for (int j = 0; j < K; ++j) acc[v] += taps[j][v] * win[j][v];
            }
            io.output(b * T + t + u, c, in[u], acc);
            STAR_UNROLL for (int m = 0; m < K - 1; ++m)
              STAR_UNROLL for (int v = 0; v < V; ++v) win[m][v] = win[m + 1][v];
          }
        }
      });
}

// The backward pass's teams: kLanes neighbouring channel groups (V channels each) by kSlots
// neighbouring tiles of one batch row; a thread owns one (tile, channel group), and a warp one
// tile of 32 channel groups (coalesced rows). The team adds its tiles' dw shares in scratch, so
// it writes one partial row, not kSlots: short tiles cost little dw traffic. Short tiles make
// many threads, so that the grid's last wave leaves few multiprocessors idle: at B = 8, T = 4096,
// C = 768 in bf16 the former one-thread-per-128-steps grid was 1.16 waves at 90 registers, and
// its kernel took 55 us on an H200, this one 48 us. Teams of 128 threads (kSlots = 4) fit the
// registers better than 256 (kSlots = 8: 53 us).
constexpr int kLanes = 32, kSlots = 4;

int64_t tile_groups(const ConvShape& s, int64_t tile) { return (tiles(s.length, tile) + kSlots - 1) / kSlots; }

// dx[t] = sum_m w[K - 1 - m] dy[t + m] with ahead[m] = dy[t + m]; dw[j] += dy[t] x[t - (K - 1) + j]
// with behind[m] = x[t - (K - 1) + m]. partial: [rows = B x tile groups, C, K]. U steps of loads
// at a time as in the forward.
template <int K, int V, int U, class Exec, class Io>
void backward_windowed(const Exec& exec, const ConvShape& s, int64_t L, const Io& io, const float* w, float* partial) {
  using Scratch = Kokkos::View<float*, typename Exec::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  constexpr int kShare = V * K;  // one thread's dw share
  const int64_t T = s.length, C = s.channels, G = C / V, n_tiles = tiles(T, L), n_groups = tile_groups(s, L);
  const int64_t blocks = (G + kLanes - 1) / kLanes, league = s.batch * n_groups * blocks;
  if (league > INT_MAX)
    throw std::invalid_argument("causal_conv1d: backward grid too large: B=" + std::to_string(s.batch) + " T=" +
                                std::to_string(T) + " C=" + std::to_string(C));
  // Up to 4 taps, at most 80 registers a thread, so that six teams share a multiprocessor (the
  // compiler took 93 for bf16 pairs: five). bf16 pairs then spill 52 bytes and still run faster
  // on an H200 (T = 1024: 26%, T = 4096: 3%); longer filters would spill far more.
  using Bounds = std::conditional_t<(K <= 4), Kokkos::LaunchBounds<kLanes * kSlots, 6>, Kokkos::LaunchBounds<>>;
  Kokkos::TeamPolicy<Exec, Bounds> policy(exec, static_cast<int>(league),
                                          impl::runs_on_host<Exec>() ? 1 : kLanes * kSlots);
  const size_t scratch = Scratch::shmem_size(kSlots * kLanes * kShare);
  policy.set_scratch_size(0, Kokkos::PerTeam(scratch));
  Kokkos::parallel_for(
      "star::causal_conv1d_backward", policy, KOKKOS_LAMBDA(const impl::TeamMember<Exec>& team) {
        const int64_t block = team.league_rank() % blocks, group = (team.league_rank() / blocks) % n_groups,
                      b = team.league_rank() / (blocks * n_groups);
        Scratch shares(team.team_scratch(0), kSlots * kLanes * kShare);
        auto tile_share = [&](const int r) {
          const int lane = r % kLanes, slot = r / kLanes;
          const int64_t g = block * kLanes + lane, tile = group * kSlots + slot;
          float dw[K][V];
          STAR_UNROLL for (int j = 0; j < K; ++j)
            STAR_UNROLL for (int v = 0; v < V; ++v) dw[j][v] = 0.0f;
          if (g < G && tile < n_tiles) {
            const int64_t c = g * V, t0 = tile * L, t1 = t0 + L < T ? t0 + L : T, bt0 = b * T;
            float taps[K][V], ahead[K][V], behind[K][V];
            STAR_UNROLL for (int j = 0; j < K; ++j)
              STAR_UNROLL for (int v = 0; v < V; ++v) taps[j][v] = w[(c + v) * K + j];
            STAR_UNROLL for (int m = 0; m < K - 1; ++m) {
              const int64_t back = t0 - (K - 1) + m, fore = t0 + m;
              typename Io::Behind before{};
              typename Io::Ahead after{};
              if (back >= 0) io.load_behind(bt0 + back, c, before);
              if (fore < T) io.load_ahead(bt0 + fore, c, after);
              io.input(before, behind[m]);  // zeros outside the sequence
              io.gradient(after, ahead[m]);
            }
            // A chunk of U steps all inside the tile, dy's look-ahead inside the sequence: no
            // checks per step (kChecked false, most chunks).
            auto chunk = [&](auto checked, const int64_t t) {
              constexpr bool kChecked = decltype(checked)::value;
              typename Io::Behind xin[U];  // as loaded, as in the forward
              typename Io::Ahead dyin[U];
              STAR_UNROLL for (int u = 0; u < U; ++u) {
                if (!kChecked || t + u < t1) io.load_behind(bt0 + t + u, c, xin[u]);
                else xin[u] = typename Io::Behind{};
                if (!kChecked || (t + u < t1 && t + u + (K - 1) < T)) io.load_ahead(bt0 + t + u + (K - 1), c, dyin[u]);
                else dyin[u] = typename Io::Ahead{};
              }
              STAR_UNROLL for (int u = 0; u < U; ++u) {
                if (kChecked && t + u >= t1) break;
                io.input(xin[u], behind[K - 1]);
                io.gradient(dyin[u], ahead[K - 1]);
                float acc[V], out[V];
                STAR_UNROLL for (int v = 0; v < V; ++v) {
                  acc[v] = 0.0f;
                  STAR_UNROLL for (int m = 0; m < K; ++m) acc[v] += taps[K - 1 - m][v] * ahead[m][v];
                  STAR_UNROLL for (int j = 0; j < K; ++j) dw[j][v] += ahead[0][v] * behind[j][v];
                  out[v] = 0.0f;  // the forward's output at t, in its order, where write() wants it
                  if constexpr (Io::kWritesWithOutput)
                    STAR_UNROLL for (int j = 0; j < K; ++j) out[v] += taps[j][v] * behind[j][v];
                }
                io.write(bt0 + t + u, c, xin[u], acc, out);
                STAR_UNROLL for (int m = 0; m < K - 1; ++m)
                  STAR_UNROLL for (int v = 0; v < V; ++v) {
                    behind[m][v] = behind[m + 1][v];
                    ahead[m][v] = ahead[m + 1][v];
                  }
              }
            };
            for (int64_t t = t0; t < t1; t += U) {
              if (t + U <= t1 && t + U - 1 + (K - 1) < T) chunk(std::false_type(), t);
              else chunk(std::true_type(), t);
            }
          }
          // Share q = v K + j, as the partial rows keep c = g V + v, j.
          STAR_UNROLL for (int v = 0; v < V; ++v)
            STAR_UNROLL for (int j = 0; j < K; ++j) shares(r * kShare + v * K + j) = dw[j][v];
        };
        // One (tile, channel group) per thread on a GPU, where the team has exactly that many
        // (a TeamThreadRange loop would keep its state in registers); all in turn on the host.
        if constexpr (impl::runs_on_host<Exec>())
          for (int r = 0; r < kSlots * kLanes; ++r) tile_share(r);
        else
          tile_share(team.team_rank());
        team.team_barrier();
        // The team's tiles added in slot order (deterministic): lane l's share q lands at
        // row[(block kLanes + l) kShare + q], so neighbouring threads write neighbouring words.
        float* row = partial + (b * n_groups + group) * C * K + block * kLanes * kShare;
        const int64_t width = ((G - block * kLanes < kLanes) ? G - block * kLanes : kLanes) * kShare;
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, static_cast<int>(width)), [&](const int i) {
          float sum = 0.0f;
          for (int slot = 0; slot < kSlots; ++slot) sum += shares(slot * kLanes * kShare + i);
          row[i] = sum;
        });
      });
}

// Filters longer than 8 taps: one output per thread, the taps read from memory.
template <class Exec, class Elem>
void forward_any_taps(const Exec& exec, const ConvShape& s, const Elem* x, const float* w, Elem* y) {
  const int64_t T = s.length, C = s.channels, K = s.taps;
  Kokkos::parallel_for(
      "star::causal_conv1d_forward_long", Flat<Exec>(exec, 0, s.batch * T * C), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, t = (i / C) % T, b = i / (C * T);
        float acc = 0.0f;
        for (int64_t j = 0; j < K; ++j) {
          const int64_t src = t - (K - 1) + j;
          if (src >= 0) acc += w[c * K + j] * impl::to_float(x[(b * T + src) * C + c]);
        }
        y[i] = impl::from_float<Elem>(acc);
      });
}

template <class Exec, class Elem>
void backward_any_taps(const Exec& exec, const ConvShape& s, int64_t L, const Elem* x, const float* w,
                       const Elem* dy, Elem* dx, float* partial) {
  const int64_t T = s.length, C = s.channels, K = s.taps, n_tiles = tiles(T, L);
  Kokkos::parallel_for(
      "star::causal_conv1d_backward_input_long", Flat<Exec>(exec, 0, s.batch * T * C),
      KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = i % C, t = (i / C) % T, b = i / (C * T);
        float acc = 0.0f;
        for (int64_t j = 0; j < K; ++j) {
          const int64_t dst = t + (K - 1) - j;
          if (dst < T) acc += w[c * K + j] * impl::to_float(dy[(b * T + dst) * C + c]);
        }
        dx[i] = impl::from_float<Elem>(acc);
      });
  // One thread per (row, c, j): the tile's share of dw[c, j].
  Kokkos::parallel_for(
      "star::causal_conv1d_backward_weight_long", Flat<Exec>(exec, 0, s.batch * n_tiles * C * K),
      KOKKOS_LAMBDA(const int64_t i) {
        const int64_t j = i % K, c = (i / K) % C, tile = (i / (K * C)) % n_tiles, b = i / (K * C * n_tiles);
        const int64_t t0 = tile * L, t1 = t0 + L < T ? t0 + L : T;
        float sum = 0.0f;
        for (int64_t t = t0; t < t1; ++t) {
          const int64_t src = t - (K - 1) + j;
          if (src >= 0) sum += impl::to_float(dy[(b * T + t) * C + c]) * impl::to_float(x[(b * T + src) * C + c]);
        }
        partial[i] = sum;
      });
}

// Calls body(std::integral_constant<int, U>()) for the steps of loads at a time a plan may ask for.
template <class Body>
void with_unroll(int unroll, Body&& body) {
  if (!impl::with_constant<1, 4, 8>(unroll, body))
    throw std::invalid_argument("causal_conv1d: plan unroll must be 1, 4 or 8, got " + std::to_string(unroll));
}

// Calls body(std::integral_constant<int, K>) for K in 1..8; false for longer filters.
template <class Body>
bool with_register_taps(int64_t taps, Body&& body) {
  return impl::with_constant<1, 2, 3, 4, 5, 6, 7, 8>(taps, body);
}

// Calls body(K, V, U) (integral constants) with the windowed kernels' parameters for this shape
// and plan: V = 2 channels per thread where `pairs`, else 1. False (body not called) where the
// filter is too long for them.
template <class Body>
bool with_windowed(const ConvShape& s, bool pairs, Body&& body) {
  const int unroll = plan_of(s).unroll;
  return with_register_taps(s.taps, [&](auto k) {
    with_unroll(unroll, [&](auto u) {
      if (pairs) body(k, std::integral_constant<int, 2>(), u);
      else body(k, std::integral_constant<int, 1>(), u);
    });
  });
}

// Whether bf16 channels go two per thread: the plan allows it and all arrays are aligned to it.
template <class Elem>
bool pairs(const ConvShape& s, std::initializer_list<const void*> arrays) {
  return plan_of(s).channels_per_thread != 1 && impl::pairs_channels<Elem>(s.channels, arrays);
}

template <class Elem>
void forward(const Launch& launch, const ConvShape& s, const Elem* x, const float* w, Elem* y) {
  check_shape(s);
  if (s.batch * s.length * s.channels == 0) return;
  const bool paired = pairs<Elem>(s, {x, y});
  impl::dispatch(launch, [&](const auto& exec) {
    const bool done = with_windowed(s, paired, [&](auto k, auto v, auto u) {
      constexpr int V = decltype(v)::value;
      const PlainIo<Elem, V> io{x, y, nullptr, s.channels};
      forward_windowed<decltype(k)::value, V, decltype(u)::value>(exec, s, plan_of(s).forward_tile, io, w);
    });
    if (!done) forward_any_taps(exec, s, x, w, y);
  });
}

template <class Elem>
void backward(const Launch& launch, const ConvShape& s, const Elem* x, const float* w, const Elem* dy, Elem* dx,
              float* dw_partial) {
  check_shape(s);
  if (s.batch * s.length * s.channels == 0) return;
  const bool paired = pairs<Elem>(s, {x, dy, dx});
  impl::dispatch(launch, [&](const auto& exec) {
    const bool done = with_windowed(s, paired, [&](auto k, auto v, auto u) {
      constexpr int V = decltype(v)::value;
      const PlainIo<Elem, V> io{x, dx, dy, s.channels};
      backward_windowed<decltype(k)::value, V, decltype(u)::value>(exec, s, plan_of(s).backward_tile, io, w,
                                                                   dw_partial);
    });
    if (!done) backward_any_taps(exec, s, plan_of(s).backward_tile, x, w, dy, dx, dw_partial);
  });
}

void check_gated_shape(const ConvShape& s) {
  check_shape(s);
  if (!gated_causal_conv1d_fuses(s))
    throw std::invalid_argument("gated_causal_conv1d: at most 8 taps, got K=" + std::to_string(s.taps));
}

template <class Elem>
void gated_forward(const Launch& launch, const ConvShape& s, const Elem* p, const float* w, Elem* y) {
  check_gated_shape(s);
  if (s.batch * s.length * s.channels == 0) return;
  const int64_t C = s.channels;
  const bool paired = pairs<Elem>(s, {p, p + C, p + 2 * C, y});
  impl::dispatch(launch, [&](const auto& exec) {
    with_windowed(s, paired, [&](auto k, auto v, auto u) {
      constexpr int V = decltype(v)::value;
      const GatedIo<Elem, V> io{p, y, nullptr, C};
      forward_windowed<decltype(k)::value, V, decltype(u)::value>(exec, s, plan_of(s).forward_tile, io, w);
    });
  });
}

template <class Elem>
void gated_backward(const Launch& launch, const ConvShape& s, const Elem* p, const float* w, const Elem* dy,
                    Elem* dp, float* dw_partial) {
  check_gated_shape(s);
  if (s.batch * s.length * s.channels == 0) return;
  const int64_t C = s.channels;
  const bool paired = pairs<Elem>(s, {p, p + C, p + 2 * C, dy, dp, dp + C, dp + 2 * C});
  impl::dispatch(launch, [&](const auto& exec) {
    with_windowed(s, paired, [&](auto k, auto v, auto u) {
      constexpr int V = decltype(v)::value;
      const GatedIo<Elem, V> io{p, dp, dy, C};
      backward_windowed<decltype(k)::value, V, decltype(u)::value>(exec, s, plan_of(s).backward_tile, io, w,
                                                                   dw_partial);
    });
  });
}

}  // namespace

int64_t causal_conv1d_weight_partial_rows(const ConvShape& shape) {
  check_shape(shape);
  const int64_t tile = plan_of(shape).backward_tile;
  // Filters of register taps add kSlots tiles per row in their teams; longer ones write a row per tile.
  return shape.batch * (shape.taps <= 8 ? tile_groups(shape, tile) : tiles(shape.length, tile));
}

void check_conv_plan(const ConvPlan& plan) {
  with_unroll(plan.unroll, [](auto) {});  // throws for an unroll no kernel is built for
  if (plan.forward_tile < 1 || plan.backward_tile < 1 || plan.channels_per_thread < 0 || plan.channels_per_thread > 2)
    throw std::invalid_argument("causal_conv1d: bad plan: tiles " + std::to_string(plan.forward_tile) + ", " +
                                std::to_string(plan.backward_tile) + " (at least 1), channels per thread " +
                                std::to_string(plan.channels_per_thread) + " (0 = automatic, 1 or 2)");
}

void causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const float* x, const float* w, float* y) {
  forward(launch, shape, x, w, y);
}
void causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const Bf16* x, const float* w, Bf16* y) {
  forward(launch, shape, x, w, y);
}

void causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const float* x, const float* w,
                            const float* dy, float* dx, float* dw_partial) {
  backward(launch, shape, x, w, dy, dx, dw_partial);
}
void causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const Bf16* x, const float* w,
                            const Bf16* dy, Bf16* dx, float* dw_partial) {
  backward(launch, shape, x, w, dy, dx, dw_partial);
}

bool gated_causal_conv1d_fuses(const ConvShape& shape) { return shape.taps >= 1 && shape.taps <= 8; }

void gated_causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const float* p, const float* w,
                                 float* y) {
  gated_forward(launch, shape, p, w, y);
}
void gated_causal_conv1d_forward(const Launch& launch, const ConvShape& shape, const Bf16* p, const float* w,
                                 Bf16* y) {
  gated_forward(launch, shape, p, w, y);
}
void gated_causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const float* p, const float* w,
                                  const float* dy, float* dp, float* dw_partial) {
  gated_backward(launch, shape, p, w, dy, dp, dw_partial);
}
void gated_causal_conv1d_backward(const Launch& launch, const ConvShape& shape, const Bf16* p, const float* w,
                                  const Bf16* dy, Bf16* dp, float* dw_partial) {
  gated_backward(launch, shape, p, w, dy, dp, dw_partial);
}

}  // namespace star::kernels
