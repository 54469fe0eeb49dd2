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

// y[t] = sum_j w[j] x[t - (K - 1) + j], window win[m] = x[t - (K - 1) + m]; V channels per thread.
// The tile goes U steps at a time: U loads issued together, then U outputs computed and stored
// (loads after a store could not be issued before it: the compiler cannot know x and y apart).
template <int K, int V, int U, class Exec, class Elem>
void forward_windowed(const Exec& exec, const ConvShape& s, int64_t L, const Elem* x, const float* w, Elem* y) {
  const int64_t T = s.length, C = s.channels, G = C / V, n_tiles = tiles(T, L);
  Kokkos::parallel_for(
      "star::causal_conv1d_forward", Flat<Exec>(exec, 0, s.batch * n_tiles * G), KOKKOS_LAMBDA(const int64_t i) {
        const int64_t c = (i % G) * V, tile = (i / G) % n_tiles, b = i / (G * n_tiles);
        const int64_t t0 = tile * L, t1 = t0 + L < T ? t0 + L : T;
        const Elem* xs = x + b * T * C + c;
        Elem* ys = y + b * T * C + c;
        float taps[K][V], win[K][V];
        STAR_UNROLL for (int j = 0; j < K; ++j)
          STAR_UNROLL for (int v = 0; v < V; ++v) taps[j][v] = w[(c + v) * K + j];
        STAR_UNROLL for (int m = 0; m < K - 1; ++m) {
          const int64_t t = t0 - (K - 1) + m;
          if (t >= 0) impl::load<V>(xs + t * C, win[m]);
          else for (int v = 0; v < V; ++v) win[m][v] = 0.0f;
        }
        for (int64_t t = t0; t < t1; t += U) {
          impl::Packed<Elem, V> in[U];  // as loaded: a bf16 pair in one register
          STAR_UNROLL for (int u = 0; u < U; ++u)
            if (t + u < t1) impl::load_packed<V>(xs + (t + u) * C, in[u]);
            else in[u] = impl::Packed<Elem, V>{};
          STAR_UNROLL for (int u = 0; u < U; ++u) {
            if (t + u >= t1) break;
            impl::unpack<V>(in[u], win[K - 1]);
            float acc[V];
            STAR_UNROLL for (int v = 0; v < V; ++v) {
              acc[v] = 0.0f;
              STAR_UNROLL for (int j = 0; j < K; ++j) acc[v] += taps[j][v] * win[j][v];
            }
            impl::store<V>(ys + (t + u) * C, acc);
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
template <int K, int V, int U, class Exec, class Elem>
void backward_windowed(const Exec& exec, const ConvShape& s, int64_t L, const Elem* x, const float* w,
                       const Elem* dy, Elem* dx, float* partial) {
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
            const int64_t c = g * V, t0 = tile * L, t1 = t0 + L < T ? t0 + L : T;
            const Elem* xs = x + b * T * C + c;
            const Elem* dys = dy + b * T * C + c;
            Elem* dxs = dx + b * T * C + c;
            float taps[K][V], ahead[K][V], behind[K][V];
            STAR_UNROLL for (int j = 0; j < K; ++j)
              STAR_UNROLL for (int v = 0; v < V; ++v) taps[j][v] = w[(c + v) * K + j];
            STAR_UNROLL for (int m = 0; m < K - 1; ++m) {
              const int64_t back = t0 - (K - 1) + m, fore = t0 + m;
              if (back >= 0) impl::load<V>(xs + back * C, behind[m]);
              else for (int v = 0; v < V; ++v) behind[m][v] = 0.0f;
              if (fore < T) impl::load<V>(dys + fore * C, ahead[m]);
              else for (int v = 0; v < V; ++v) ahead[m][v] = 0.0f;
            }
            // A chunk of U steps all inside the tile, dy's look-ahead inside the sequence: no
            // checks per step (kChecked false, most chunks).
            auto chunk = [&](auto checked, const int64_t t) {
              constexpr bool kChecked = decltype(checked)::value;
              impl::Packed<Elem, V> xin[U], dyin[U];  // as loaded, as in the forward
              STAR_UNROLL for (int u = 0; u < U; ++u) {
                if (!kChecked || t + u < t1) impl::load_packed<V>(xs + (t + u) * C, xin[u]);
                else xin[u] = impl::Packed<Elem, V>{};
                if (!kChecked || (t + u < t1 && t + u + (K - 1) < T))
                  impl::load_packed<V>(dys + (t + u + (K - 1)) * C, dyin[u]);
                else dyin[u] = impl::Packed<Elem, V>{};
              }
              STAR_UNROLL for (int u = 0; u < U; ++u) {
                if (kChecked && t + u >= t1) break;
                impl::unpack<V>(xin[u], behind[K - 1]);
                impl::unpack<V>(dyin[u], ahead[K - 1]);
                float acc[V];
                STAR_UNROLL for (int v = 0; v < V; ++v) {
                  acc[v] = 0.0f;
                  STAR_UNROLL for (int m = 0; m < K; ++m) acc[v] += taps[K - 1 - m][v] * ahead[m][v];
                  STAR_UNROLL for (int j = 0; j < K; ++j) dw[j][v] += ahead[0][v] * behind[j][v];
                }
                impl::store<V>(dxs + (t + u) * C, acc);
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

template <class Elem>
void forward(const Launch& launch, const ConvShape& s, const Elem* x, const float* w, Elem* y) {
  check_shape(s);
  if (s.batch * s.length * s.channels == 0) return;
  const ConvPlan plan = plan_of(s);
  const bool pairs = plan.channels_per_thread != 1 && impl::pairs_channels<Elem>(s.channels, {x, y});
  impl::dispatch(launch, [&](const auto& exec) {
    const bool done = with_register_taps(s.taps, [&](auto k) {
      constexpr int K = decltype(k)::value;
      with_unroll(plan.unroll, [&](auto u) {
        constexpr int U = decltype(u)::value;
        if (pairs) forward_windowed<K, 2, U>(exec, s, plan.forward_tile, x, w, y);
        else forward_windowed<K, 1, U>(exec, s, plan.forward_tile, x, w, y);
      });
    });
    if (!done) forward_any_taps(exec, s, x, w, y);
  });
}

template <class Elem>
void backward(const Launch& launch, const ConvShape& s, const Elem* x, const float* w, const Elem* dy, Elem* dx,
              float* dw_partial) {
  check_shape(s);
  if (s.batch * s.length * s.channels == 0) return;
  const ConvPlan plan = plan_of(s);
  const bool pairs = plan.channels_per_thread != 1 && impl::pairs_channels<Elem>(s.channels, {x, dy, dx});
  impl::dispatch(launch, [&](const auto& exec) {
    const bool done = with_register_taps(s.taps, [&](auto k) {
      constexpr int K = decltype(k)::value;
      with_unroll(plan.unroll, [&](auto u) {
        constexpr int U = decltype(u)::value;
        if (pairs) backward_windowed<K, 2, U>(exec, s, plan.backward_tile, x, w, dy, dx, dw_partial);
        else backward_windowed<K, 1, U>(exec, s, plan.backward_tile, x, w, dy, dx, dw_partial);
      });
    });
    if (!done) backward_any_taps(exec, s, plan.backward_tile, x, w, dy, dx, dw_partial);
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

}  // namespace star::kernels
