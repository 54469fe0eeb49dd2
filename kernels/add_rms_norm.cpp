// Kokkos implementation of the fused residual add and RMSNorm; see add_rms_norm.hpp for the
// definition and layouts.
//
// Forward: one team per row, its threads striding over the d channels side by side (coalesced;
// bf16 goes two channels per thread, one 32-bit access). Each thread adds and stores its channels
// of h_out while summing their squares; after the team's sum each thread reads back the h_out it
// wrote itself (from cache) to write y.
//
// Backward: a team walks a block of consecutive rows (so that dgain needs few partial sums), two
// sweeps per row: the first sums g x^ over the row, the second writes dh and ddelta. Every thread
// keeps to the same channels in every row, so its share of dgain accumulates in team scratch
// without atomics or barriers, and goes out as the team's row of partial sums at the end. On the
// host a team is one thread and the same code walks the rows.
//
// On a GPU, rows up to 1024 channels wide (a multiple of 4) go one warp per row instead: each
// thread holds its channels of a row in registers, 4 per access (16 bytes of fp32), loads all of
// them at once, and keeps its share of dgain in registers too. The row is read once, the warp
// sums over itself, and nothing waits on the rest of a block; the two-sweep kernel with 96
// threads and a block-wide sum per row moved 805 MB in 0.36 ms at d = 768 (2.2 TB/s of an
// H100's 3.35).
#include "add_rms_norm.hpp"

#include <algorithm>
#include <cmath>

#include "impl/constant_dispatch.hpp"
#include "impl/element.hpp"
#include "impl/execution.hpp"

namespace star::kernels {
namespace {

// Channels the backward pass's teams hold between them (teams x d), at most. A team walks its
// rows one after another, so a GPU needs many teams in flight to hide memory latency: 2^20
// channels are about 4096 one-warp teams at d = 256 (half an H200's warp slots), 1365 three-warp
// teams at d = 768. The partial sums of dgain ([teams, d], 4 MiB) stay small next to the
// activations. (A fixed 1024 teams left d = 256 at one eighth occupancy, 4x slower than its bytes.)
constexpr int64_t kBackwardChannels = int64_t(1) << 20;
constexpr int64_t kMinBackwardTeams = 1024;

void check_shape(const AddRmsNormShape& s) { impl::check_row_shape("add_rms_norm", s.rows, "d", s.width, 0); }

template <class Exec>
using Member = impl::TeamMember<Exec>;

// On a GPU: about 4 groups of P channels per thread, in whole warps, from 32 to 256 threads
// (d = 768 in bf16 pairs: 96 threads). On the host: one thread.
template <class Exec>
Kokkos::TeamPolicy<Exec> teams(const Exec& exec, int64_t league, const AddRmsNormShape& s, int P) {
  return impl::team_policy(exec, league, s.width / P, 4, 256);
}

template <int P, class Exec, class Elem>
void forward_rows(const Exec& exec, const AddRmsNormShape& s, float eps, const float* h, const Elem* delta,
                  const float* gain, float* h_out, Elem* y, float* rstd) {
  const int64_t d = s.width;
  Kokkos::parallel_for(
      "star::add_rms_norm_forward", teams(exec, s.rows, s, P), KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t n = team.league_rank(), first = int64_t(team.team_rank()) * P,
                      stride = int64_t(team.team_size()) * P;
        const float* h_row = h + n * d;
        const Elem* delta_row = delta + n * d;
        float* out_row = h_out + n * d;
        Elem* y_row = y + n * d;
        float squares = 0.0f;
        for (int64_t j = first; j < d; j += stride) {
          float a[P], b[P];
          impl::load<P>(h_row + j, a);
          impl::load<P>(delta_row + j, b);
          STAR_UNROLL for (int p = 0; p < P; ++p) {
            a[p] += b[p];
            squares += a[p] * a[p];
          }
          impl::store<P>(out_row + j, a);
        }
        team.team_reduce(Kokkos::Sum<float>(squares));
        const float r = 1.0f / sqrtf(squares / static_cast<float>(d) + eps);
        if (team.team_rank() == 0) rstd[n] = r;
        for (int64_t j = first; j < d; j += stride) {
          float a[P], g[P];
          impl::load<P>(out_row + j, a);
          impl::load<P>(gain + j, g);
          STAR_UNROLL for (int p = 0; p < P; ++p) a[p] *= r * g[p];
          impl::store<P>(y_row + j, a);
        }
      });
}

// The warp-per-row backward: its channels per thread (accesses of 4, at most kWarpAccesses) and
// its teams (one warp each, each walking a block of rows): about as many warps as an H100 or
// H200 keeps resident in one-warp blocks (132 SMs x 32).
constexpr int kWarp = 32, kWarpAccesses = 8;
constexpr int64_t kWarpTeams = 4096;

bool by_warp(const Launch& launch, const AddRmsNormShape& s) {
  return launch.on_gpu && s.width % 4 == 0 && s.width <= int64_t(kWarp) * 4 * kWarpAccesses;
}

int64_t backward_teams(const Launch& launch, const AddRmsNormShape& s) {
  if (by_warp(launch, s)) return std::min(s.rows, kWarpTeams);
  const int64_t wanted = std::max(kMinBackwardTeams, kBackwardChannels / std::max<int64_t>(s.width, 1));
  return std::min(s.rows, wanted);
}

// One warp per row at a time, K accesses of 4 channels per thread held in registers; team t
// walks rows [t R, (t + 1) R) and writes row t of dgain_partial.
template <int K, class Exec, class Elem>
void backward_rows_by_warp(const Exec& exec, int64_t league, const AddRmsNormShape& s, const float* h_out,
                           const float* rstd, const float* gain, const Elem* dy, const float* dh_out, float* dh,
                           Elem* ddelta, float* dgain_partial) {
  constexpr int P = 4;
  const int64_t d = s.width, rows_per_team = (s.rows + league - 1) / league;
  const float inv_d = 1.0f / static_cast<float>(d);
  Kokkos::parallel_for(
      "star::add_rms_norm_backward", Kokkos::TeamPolicy<Exec>(exec, league, kWarp),
      KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t t = team.league_rank();
        int64_t j[K];
        float w[K][P], dgain[K][P];
        STAR_UNROLL for (int k = 0; k < K; ++k) {
          j[k] = (int64_t(k) * kWarp + team.team_rank()) * P;
          STAR_UNROLL for (int p = 0; p < P; ++p) w[k][p] = dgain[k][p] = 0.0f;
          if (j[k] < d) impl::load<P>(gain + j[k], w[k]);
        }
        const int64_t row_end = (t + 1) * rows_per_team < s.rows ? (t + 1) * rows_per_team : s.rows;
        for (int64_t n = t * rows_per_team; n < row_end; ++n) {
          const float r = rstd[n];
          float x[K][P], g[K][P], dot = 0.0f;  // sum_k g_k x^_k
          STAR_UNROLL for (int k = 0; k < K; ++k) {
            STAR_UNROLL for (int p = 0; p < P; ++p) x[k][p] = g[k][p] = 0.0f;
            if (j[k] < d) {
              impl::load<P>(h_out + n * d + j[k], x[k]);
              impl::load<P>(dy + n * d + j[k], g[k]);
            }
            STAR_UNROLL for (int p = 0; p < P; ++p) dot += g[k][p] * w[k][p] * x[k][p] * r;
          }
          team.team_reduce(Kokkos::Sum<float>(dot));
          const float mean = dot * inv_d;
          STAR_UNROLL for (int k = 0; k < K; ++k) {
            if (j[k] >= d) continue;
            float up[P] = {};
            if (dh_out) impl::load<P>(dh_out + n * d + j[k], up);
            STAR_UNROLL for (int p = 0; p < P; ++p) {
              dgain[k][p] += g[k][p] * x[k][p] * r;
              up[p] += r * (g[k][p] * w[k][p] - x[k][p] * r * mean);
            }
            impl::store<P>(dh + n * d + j[k], up);
            impl::store<P>(ddelta + n * d + j[k], up);
          }
        }
        STAR_UNROLL for (int k = 0; k < K; ++k)
          if (j[k] < d) impl::store<P>(dgain_partial + t * d + j[k], dgain[k]);
      });
}

template <int P, class Exec, class Elem>
void backward_rows(const Exec& exec, int64_t league, const AddRmsNormShape& s, const float* h_out, const float* rstd,
                   const float* gain, const Elem* dy, const float* dh_out, float* dh, Elem* ddelta,
                   float* dgain_partial) {
  using Scratch = Kokkos::View<float*, typename Exec::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  const int64_t d = s.width, rows_per_team = (s.rows + league - 1) / league;
  const float inv_d = 1.0f / static_cast<float>(d);
  auto policy = teams(exec, league, s, P);
  const size_t scratch = Scratch::shmem_size(d);
  const int level = scratch <= 32768 ? 0 : 1;  // level 1 (global memory) for very wide rows
  policy.set_scratch_size(level, Kokkos::PerTeam(scratch));
  Kokkos::parallel_for(
      "star::add_rms_norm_backward", policy, KOKKOS_LAMBDA(const Member<Exec>& team) {
        const int64_t t = team.league_rank(), first = int64_t(team.team_rank()) * P,
                      stride = int64_t(team.team_size()) * P;
        Scratch dgain(team.team_scratch(level), d);
        for (int64_t j = first; j < d; j += stride)
          STAR_UNROLL for (int p = 0; p < P; ++p) dgain(j + p) = 0.0f;
        const int64_t row_end = (t + 1) * rows_per_team < s.rows ? (t + 1) * rows_per_team : s.rows;
        for (int64_t n = t * rows_per_team; n < row_end; ++n) {
          const float r = rstd[n];
          const float* x_row = h_out + n * d;
          const Elem* dy_row = dy + n * d;
          float dot = 0.0f;  // sum_k g_k x^_k
          for (int64_t j = first; j < d; j += stride) {
            float x[P], g[P], w[P];
            impl::load<P>(x_row + j, x);
            impl::load<P>(dy_row + j, g);
            impl::load<P>(gain + j, w);
            STAR_UNROLL for (int p = 0; p < P; ++p) {
              dgain(j + p) += g[p] * x[p] * r;
              dot += g[p] * w[p] * x[p] * r;
            }
          }
          team.team_reduce(Kokkos::Sum<float>(dot));
          const float mean = dot * inv_d;
          float* dh_row = dh + n * d;
          Elem* ddelta_row = ddelta + n * d;
          for (int64_t j = first; j < d; j += stride) {
            float x[P], g[P], w[P], up[P] = {};
            impl::load<P>(x_row + j, x);
            impl::load<P>(dy_row + j, g);
            impl::load<P>(gain + j, w);
            if (dh_out) impl::load<P>(dh_out + n * d + j, up);
            STAR_UNROLL for (int p = 0; p < P; ++p) up[p] += r * (g[p] * w[p] - x[p] * r * mean);
            impl::store<P>(dh_row + j, up);
            impl::store<P>(ddelta_row + j, up);
          }
        }
        for (int64_t j = first; j < d; j += stride)
          STAR_UNROLL for (int p = 0; p < P; ++p) dgain_partial[t * d + j + p] = dgain(j + p);
      });
}

template <class Elem>
void forward(const Launch& launch, const AddRmsNormShape& s, float eps, const float* h, const Elem* delta,
             const float* gain, float* h_out, Elem* y, float* rstd) {
  check_shape(s);
  if (s.rows * s.width == 0) return;
  const bool pairs = impl::pairs_channels<Elem>(s.width, {delta, y});
  impl::dispatch(launch, [&](const auto& exec) {
    if (pairs) forward_rows<2>(exec, s, eps, h, delta, gain, h_out, y, rstd);
    else forward_rows<1>(exec, s, eps, h, delta, gain, h_out, y, rstd);
  });
}

template <class Elem>
void backward(const Launch& launch, const AddRmsNormShape& s, const float* h_out, const float* rstd,
              const float* gain, const Elem* dy, const float* dh_out, float* dh, Elem* ddelta,
              float* dgain_partial) {
  check_shape(s);
  if (s.rows * s.width == 0) return;
  const bool pairs = impl::pairs_channels<Elem>(s.width, {dy, ddelta});
  // The warp kernel reads and writes 4 channels at once: every array aligned to 4 elements.
  const bool aligned = impl::aligned_to<float>(4, s.width, {h_out, gain, dh_out, dh, dgain_partial}) &&
                       impl::aligned_to<Elem>(4, s.width, {dy, ddelta});
  const int64_t league = backward_teams(launch, s);  // dgain_partial's rows, whichever kernel writes them
  const int64_t accesses = (s.width + kWarp * 4 - 1) / (kWarp * 4);
  impl::dispatch(launch, [&](const auto& exec) {
    if (by_warp(launch, s) && aligned &&
        impl::with_constant<1, 2, 3, 4, 5, 6, 7, 8>(accesses, [&](auto K) {
          backward_rows_by_warp<decltype(K)::value>(exec, league, s, h_out, rstd, gain, dy, dh_out, dh, ddelta,
                                                    dgain_partial);
        }))
      return;
    if (pairs) backward_rows<2>(exec, league, s, h_out, rstd, gain, dy, dh_out, dh, ddelta, dgain_partial);
    else backward_rows<1>(exec, league, s, h_out, rstd, gain, dy, dh_out, dh, ddelta, dgain_partial);
  });
}

}  // namespace

int64_t add_rms_norm_partial_rows(const Launch& launch, const AddRmsNormShape& shape) {
  check_shape(shape);
  return backward_teams(launch, shape);
}

void add_rms_norm_forward(const Launch& launch, const AddRmsNormShape& shape, float eps, const float* h,
                          const float* delta, const float* gain, float* h_out, float* y, float* rstd) {
  forward(launch, shape, eps, h, delta, gain, h_out, y, rstd);
}
void add_rms_norm_forward(const Launch& launch, const AddRmsNormShape& shape, float eps, const float* h,
                          const Bf16* delta, const float* gain, float* h_out, Bf16* y, float* rstd) {
  forward(launch, shape, eps, h, delta, gain, h_out, y, rstd);
}

void add_rms_norm_backward(const Launch& launch, const AddRmsNormShape& shape, const float* h_out, const float* rstd,
                           const float* gain, const float* dy, const float* dh_out, float* dh, float* ddelta,
                           float* dgain_partial) {
  backward(launch, shape, h_out, rstd, gain, dy, dh_out, dh, ddelta, dgain_partial);
}
void add_rms_norm_backward(const Launch& launch, const AddRmsNormShape& shape, const float* h_out, const float* rstd,
                           const float* gain, const Bf16* dy, const float* dh_out, float* dh, Bf16* ddelta,
                           float* dgain_partial) {
  backward(launch, shape, h_out, rstd, gain, dy, dh_out, dh, ddelta, dgain_partial);
}

}  // namespace star::kernels
